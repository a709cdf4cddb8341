package dev.cairn.sandbox.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates one {@code AWS::CloudWatch::Alarm} (its resolved {@code Properties}) against captured
 * {@link EmfDocument}s, after the CloudWatch User Guide ("Evaluating an alarm", "M out of N", "How
 * CloudWatch treats missing data").
 *
 * <ol>
 *   <li>A sample belongs to the alarm's metric only when namespace, metric name and the FULL
 *       dimension set match exactly (and the unit, when the alarm names one). A document publishes
 *       one metric identity per dimension set in its directive.
 *   <li>Periods are aligned to multiples of {@code Period} since the epoch. The evaluation range is
 *       the {@code EvaluationPeriods} most recent periods ending with the one containing the
 *       evaluation instant (that one holds the samples up to the instant).
 *   <li>Each period with samples yields one datapoint: {@code Sum}, {@code Average}, {@code
 *       Maximum}, {@code Minimum}, {@code SampleCount}, or {@code ExtendedStatistic} {@code pNN}
 *       (nearest rank).
 *   <li>A datapoint breaches when it compares to {@code Threshold} by {@code ComparisonOperator}.
 *   <li>Missing periods follow {@code TreatMissingData}: {@code notBreaching} as good, {@code
 *       breaching} as bad; {@code missing} (the default): all missing is INSUFFICIENT_DATA, and
 *       with fewer than M present datapoints that all breach the alarm still goes to ALARM; {@code
 *       ignore}: all missing keeps the previous state.
 *   <li>ALARM when at least {@code DatapointsToAlarm} (default {@code EvaluationPeriods}) of the
 *       range breach, else OK.
 * </ol>
 *
 * <p>Not modelled: metric-math alarms ({@code Metrics}) and anomaly-detection operators, which are
 * refused; CloudWatch's look-back beyond the evaluation range when data is missing; ingestion
 * delay.
 */
public final class AlarmEvaluator {

  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d+)?|100)");

  private AlarmEvaluator() {}

  /** Evaluates with no previous state (a new alarm starts in INSUFFICIENT_DATA). */
  public static AlarmState evaluate(
      String alarmName, JsonNode properties, List<EmfDocument> documents, Instant at) {
    return evaluate(alarmName, properties, documents, at, AlarmState.INSUFFICIENT_DATA);
  }

  /** Evaluates; {@code previousState} matters only for {@code TreatMissingData: ignore}. */
  public static AlarmState evaluate(
      String alarmName,
      JsonNode properties,
      List<EmfDocument> documents,
      Instant at,
      String previousState) {
    if (properties.has("Metrics")) {
      throw new UnsupportedOperationException(
          alarmName
              + ": metric-math alarms (Properties.Metrics) are not supported; give"
              + " Namespace, MetricName and Dimensions");
    }
    String namespace = text(properties, "Namespace", alarmName);
    String metricName = text(properties, "MetricName", alarmName);
    Map<String, String> dimensions = dimensions(properties, alarmName);
    String statistic = statistic(properties, alarmName);
    long period = positive(properties, "Period", alarmName);
    int n = (int) positive(properties, "EvaluationPeriods", alarmName);
    int m = properties.has("DatapointsToAlarm") ? properties.path("DatapointsToAlarm").asInt() : n;
    if (m < 1 || m > n) {
      throw new IllegalArgumentException(alarmName + ": DatapointsToAlarm must be 1.." + n);
    }
    if (!properties.path("Threshold").isNumber()) {
      throw new IllegalArgumentException(alarmName + ": Threshold must be a number");
    }
    double threshold = properties.path("Threshold").asDouble();
    String operator = text(properties, "ComparisonOperator", alarmName);
    String treatMissing = properties.path("TreatMissingData").asText("missing");
    String unit = properties.path("Unit").asText(null);

    // 1. The samples of exactly this metric.
    List<EmfDocument> matching = new ArrayList<>();
    for (EmfDocument d : documents) {
      if (d.namespace().equals(namespace)
          && d.metric().equals(metricName)
          && d.identities().contains(dimensions)
          && (unit == null || unit.equals(d.unit()))
          && d.timestampMillis() <= at.toEpochMilli()) {
        matching.add(d);
      }
    }

    // 2. The evaluation range: n aligned periods, the last one containing `at`.
    long periodMillis = period * 1000;
    long lastStart = Math.floorDiv(at.toEpochMilli(), periodMillis) * periodMillis;
    long firstStart = lastStart - (n - 1) * periodMillis;
    Double[] datapoints = new Double[n];
    for (int i = 0; i < n; i++) {
      long start = firstStart + i * periodMillis;
      List<Double> samples = new ArrayList<>();
      for (EmfDocument d : matching) {
        if (d.timestampMillis() >= start && d.timestampMillis() < start + periodMillis) {
          samples.add(d.value());
        }
      }
      // 3. One datapoint per period with samples.
      datapoints[i] = samples.isEmpty() ? null : aggregate(statistic, samples);
    }

    // 4-6. Breaching, missing data, M out of N.
    int present = 0;
    int breaching = 0;
    for (Double v : datapoints) {
      if (v != null) {
        present++;
        if (breaches(operator, v, threshold, alarmName)) {
          breaching++;
        }
      }
    }
    int missing = n - present;
    String range =
        metricName
            + " "
            + statistic
            + " over "
            + n
            + " x "
            + period
            + "s from "
            + Instant.ofEpochMilli(firstStart)
            + ": "
            + Arrays.toString(datapoints)
            + " "
            + operator
            + " "
            + threshold;
    switch (treatMissing) {
      case "breaching" -> breaching += missing;
      case "notBreaching" -> {}
      case "missing", "ignore" -> {
        if (present == 0) {
          String why =
              "no datapoint in "
                  + range
                  + "; "
                  + unmatched(documents, namespace, metricName, dimensions);
          return "ignore".equals(treatMissing)
              ? new AlarmState(alarmName, previousState, why + " (ignore: state kept)")
              : new AlarmState(alarmName, AlarmState.INSUFFICIENT_DATA, why);
        }
        if (breaching < m && present < m && breaching == present) {
          return "ignore".equals(treatMissing)
              ? new AlarmState(
                  alarmName, previousState, "too few datapoints to decide (ignore): " + range)
              : new AlarmState(
                  alarmName,
                  AlarmState.ALARM,
                  "all " + present + " present datapoints breach (fewer than " + m + "): " + range);
        }
      }
      default ->
          throw new IllegalArgumentException(
              alarmName + ": unknown TreatMissingData " + treatMissing);
    }
    return breaching >= m
        ? new AlarmState(
            alarmName,
            AlarmState.ALARM,
            breaching + " of " + n + " datapoints breach (" + m + " needed): " + range)
        : new AlarmState(
            alarmName,
            AlarmState.OK,
            breaching + " of " + n + " datapoints breach (" + m + " needed): " + range);
  }

  /** Why nothing matched: the identities seen for this metric name, to show the mismatch. */
  private static String unmatched(
      List<EmfDocument> documents,
      String namespace,
      String metricName,
      Map<String, String> wanted) {
    Set<String> seen = new LinkedHashSet<>();
    for (EmfDocument d : documents) {
      if (d.metric().equals(metricName)) {
        d.identities().forEach(id -> seen.add(d.namespace() + " " + id));
      }
    }
    return "alarm selects "
        + namespace
        + " "
        + wanted
        + "; "
        + metricName
        + " was written as "
        + (seen.isEmpty() ? "nothing" : seen);
  }

  private static double aggregate(String statistic, List<Double> samples) {
    return switch (statistic) {
      case "Sum" -> samples.stream().mapToDouble(Double::doubleValue).sum();
      case "Average" -> samples.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      case "Maximum" -> samples.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      case "Minimum" -> samples.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      case "SampleCount" -> samples.size();
      default -> percentile(statistic, samples);
    };
  }

  /** Nearest-rank percentile: the smallest sample with at least p% of samples at or below it. */
  private static double percentile(String statistic, List<Double> samples) {
    Matcher p = PERCENTILE.matcher(statistic);
    if (!p.matches()) {
      throw new IllegalArgumentException("unsupported statistic " + statistic);
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(Double.parseDouble(p.group(1)) / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  private static boolean breaches(String operator, double v, double threshold, String alarmName) {
    return switch (operator) {
      case "GreaterThanOrEqualToThreshold" -> v >= threshold;
      case "GreaterThanThreshold" -> v > threshold;
      case "LessThanThreshold" -> v < threshold;
      case "LessThanOrEqualToThreshold" -> v <= threshold;
      default ->
          throw new UnsupportedOperationException(
              alarmName
                  + ": ComparisonOperator "
                  + operator
                  + " (anomaly detection) is not supported");
    };
  }

  private static String statistic(JsonNode p, String alarmName) {
    boolean plain = p.path("Statistic").isTextual();
    boolean extended = p.path("ExtendedStatistic").isTextual();
    if (plain == extended) {
      throw new IllegalArgumentException(
          alarmName + ": give exactly one of Statistic and ExtendedStatistic");
    }
    String s = plain ? p.path("Statistic").asText() : p.path("ExtendedStatistic").asText();
    if (plain && !Set.of("Sum", "Average", "Maximum", "Minimum", "SampleCount").contains(s)) {
      throw new IllegalArgumentException(alarmName + ": unknown Statistic " + s);
    }
    if (extended && !PERCENTILE.matcher(s).matches()) {
      throw new UnsupportedOperationException(
          alarmName + ": ExtendedStatistic " + s + " (only pNN)");
    }
    return s;
  }

  private static Map<String, String> dimensions(JsonNode p, String alarmName) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode d : p.path("Dimensions")) {
      if (!d.path("Name").isTextual() || !d.path("Value").isTextual()) {
        throw new IllegalArgumentException(alarmName + ": unresolved dimension " + d);
      }
      out.put(d.path("Name").asText(), d.path("Value").asText());
    }
    return Map.copyOf(out);
  }

  private static String text(JsonNode p, String field, String alarmName) {
    if (!p.path(field).isTextual()) {
      throw new IllegalArgumentException(alarmName + ": " + field + " must be a resolved string");
    }
    return p.path(field).asText();
  }

  private static long positive(JsonNode p, String field, String alarmName) {
    long v = p.path(field).asLong(0);
    if (v < 1) {
      throw new IllegalArgumentException(alarmName + ": " + field + " must be a positive number");
    }
    return v;
  }
}
