package dev.cairn.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric dimension contract read from {@code schema/metrics-contract.json}, the file the EMF
 * adapter ({@code dev.cairn.aws.metrics.PowertoolsPipelineMetrics}) reads too: alarms and the
 * dashboard select exactly the namespace and dimension sets the adapter writes (decision
 * 2026-12-06-metric-dimensions). The cdk module depends on no Cairn module, so the file, not a
 * class, is the single source.
 *
 * @param namespace the CloudWatch namespace
 * @param alarmDimensions the aggregate dimension set with its fixed values, in the contract's order
 * @param drillDownDimensionSet the per-service, per-environment dimension names
 * @param metrics metric name to whether it also carries the drill-down set, in the contract's order
 */
public record MetricsContract(
    String namespace,
    Map<String, String> alarmDimensions,
    List<String> drillDownDimensionSet,
    Map<String, Boolean> metrics) {

  public static final String RESOURCE = "/schema/metrics-contract.json";

  public MetricsContract {
    alarmDimensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(alarmDimensions));
    drillDownDimensionSet = List.copyOf(drillDownDimensionSet);
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** Reads the contract from the classpath (cdk/pom.xml copies it from schema/). */
  public static MetricsContract load() {
    try (InputStream in = MetricsContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      JsonNode node = new ObjectMapper().readTree(in);
      Map<String, String> alarm = new LinkedHashMap<>();
      for (JsonNode name : node.path("alarm_dimension_set")) {
        JsonNode value = node.path("alarm_dimensions").path(name.asText());
        if (!value.isTextual()) {
          throw new IllegalStateException(RESOURCE + ": no value for alarm dimension " + name);
        }
        alarm.put(name.asText(), value.asText());
      }
      List<String> drillDown = new ArrayList<>();
      node.path("drill_down_dimension_set").forEach(n -> drillDown.add(n.asText()));
      Map<String, Boolean> metrics = new LinkedHashMap<>();
      node.path("metrics")
          .fields()
          .forEachRemaining(
              e -> metrics.put(e.getKey(), e.getValue().path("drill_down").asBoolean()));
      return new MetricsContract(node.path("namespace").asText(), alarm, drillDown, metrics);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
