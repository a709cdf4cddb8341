package dev.cairn.sandbox.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric value from one EMF document, as CloudWatch would ingest it.
 *
 * @param namespace the directive's {@code Namespace}
 * @param metric the metric name
 * @param dimensions every dimension value the document's dimension sets name (root members)
 * @param value one sample
 * @param unit the metric's {@code Unit} ({@code None} when absent)
 * @param timestampMillis when the document was written, on the capture's clock (the sandbox's
 *     virtual time), not the document's {@code _aws.Timestamp}, which Powertools takes from the
 *     system clock
 * @param dimensionSets the directive's {@code Dimensions}: each set publishes one metric identity
 */
public record EmfDocument(
    String namespace,
    String metric,
    Map<String, String> dimensions,
    double value,
    String unit,
    long timestampMillis,
    List<List<String>> dimensionSets) {

  public EmfDocument {
    dimensions = Map.copyOf(dimensions);
    dimensionSets = dimensionSets.stream().map(List::copyOf).toList();
    for (List<String> set : dimensionSets) {
      if (!dimensions.keySet().containsAll(set)) {
        throw new IllegalArgumentException(
            "dimension set " + set + " has no value in " + dimensions);
      }
    }
  }

  /**
   * The metric identities this document publishes to: one dimension map per dimension set, each in
   * the set's order. CloudWatch matches a metric only on namespace, name and one of these maps
   * exactly.
   */
  public List<Map<String, String>> identities() {
    return dimensionSets.stream()
        .map(
            set -> {
              Map<String, String> m = new LinkedHashMap<>();
              set.forEach(k -> m.put(k, dimensions.get(k)));
              return Map.copyOf(m);
            })
        .toList();
  }
}
