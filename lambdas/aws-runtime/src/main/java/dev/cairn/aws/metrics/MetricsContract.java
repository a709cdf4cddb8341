package dev.cairn.aws.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric dimension contract read from {@code schema/metrics-contract.json} (packaged in {@code
 * cairn-schema} under {@code /schema/}). The CDK alarms and dashboard read the same file, so what
 * the adapter writes and what the alarms watch cannot drift (decision
 * 2026-12-06-metric-dimensions).
 *
 * @param namespace the CloudWatch namespace of every metric
 * @param alarmDimensionSet the aggregate dimension set every document carries and every alarm
 *     watches
 * @param alarmDimensions the fixed values of {@code alarmDimensionSet}
 * @param drillDownDimensionSet the per-service, per-environment set added for drill-down
 * @param metrics the spec's metrics by name
 */
public record MetricsContract(
    String namespace,
    List<String> alarmDimensionSet,
    Map<String, String> alarmDimensions,
    List<String> drillDownDimensionSet,
    Map<String, Metric> metrics) {

  public static final String RESOURCE = "/schema/metrics-contract.json";

  /** One metric: its EMF unit and whether it carries the drill-down dimension set too. */
  public record Metric(String unit, boolean drillDown) {}

  public MetricsContract {
    alarmDimensionSet = List.copyOf(alarmDimensionSet);
    alarmDimensions = Map.copyOf(alarmDimensions);
    drillDownDimensionSet = List.copyOf(drillDownDimensionSet);
    metrics = Map.copyOf(metrics);
    if (!alarmDimensions.keySet().equals(Set.copyOf(alarmDimensionSet))) {
      throw new IllegalArgumentException(
          "alarm_dimensions " + alarmDimensions.keySet() + " must fill " + alarmDimensionSet);
    }
    if (!drillDownDimensionSet.containsAll(alarmDimensionSet)) {
      throw new IllegalArgumentException(
          "drill_down_dimension_set "
              + drillDownDimensionSet
              + " must extend "
              + alarmDimensionSet);
    }
  }

  /** The metric {@code name}; fails for a name the contract does not define. */
  public Metric metric(String name) {
    Metric m = metrics.get(name);
    if (m == null) {
      throw new IllegalArgumentException("metric not in " + RESOURCE + ": " + name);
    }
    return m;
  }

  /** The dimension sets a document of {@code name} carries, in EMF order. */
  public List<List<String>> dimensionSets(String name) {
    return metric(name).drillDown()
        ? List.of(alarmDimensionSet, drillDownDimensionSet)
        : List.of(alarmDimensionSet);
  }

  /** Loads the contract from the classpath. */
  public static MetricsContract load() {
    try (InputStream in = MetricsContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("metrics contract not on the classpath: " + RESOURCE);
      }
      return parse(Json.mapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static MetricsContract parse(JsonNode node) {
    Map<String, String> alarmDimensions = new LinkedHashMap<>();
    node.path("alarm_dimensions")
        .fields()
        .forEachRemaining(e -> alarmDimensions.put(e.getKey(), e.getValue().asText()));
    Map<String, Metric> metrics = new LinkedHashMap<>();
    node.path("metrics")
        .fields()
        .forEachRemaining(
            e ->
                metrics.put(
                    e.getKey(),
                    new Metric(
                        e.getValue().path("unit").asText(),
                        e.getValue().path("drill_down").asBoolean())));
    return new MetricsContract(
        node.path("namespace").asText(),
        strings(node.path("alarm_dimension_set")),
        alarmDimensions,
        strings(node.path("drill_down_dimension_set")),
        metrics);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
