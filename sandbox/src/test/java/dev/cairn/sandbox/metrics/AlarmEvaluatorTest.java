package dev.cairn.sandbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed CloudWatch alarm evaluations, one behaviour each. */
class AlarmEvaluatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CAIRN = Map.of("Service", "cairn");
  private static final Instant T = Instant.parse("2026-11-22T10:07:00Z");

  /** Sum over 5 minutes, >= 2, 1 of 1, missing data as missing. */
  private static ObjectNode alarm(String statistic, double threshold, String operator) {
    ObjectNode p = JSON.createObjectNode();
    p.put("Namespace", "Cairn");
    p.put("MetricName", "AssetHashMismatch");
    p.putArray("Dimensions").addObject().put("Name", "Service").put("Value", "cairn");
    p.put("Statistic", statistic);
    p.put("Period", 300);
    p.put("EvaluationPeriods", 1);
    p.put("Threshold", threshold);
    p.put("ComparisonOperator", operator);
    return p;
  }

  private static EmfDocument doc(String at, double value) {
    return doc(at, value, CAIRN, List.of(List.of("Service")));
  }

  private static EmfDocument doc(
      String at, double value, Map<String, String> dims, List<List<String>> sets) {
    return new EmfDocument(
        "Cairn", "AssetHashMismatch", dims, value, "Count", Instant.parse(at).toEpochMilli(), sets);
  }

  private static String state(ObjectNode alarm, List<EmfDocument> docs) {
    return AlarmEvaluator.evaluate("A", alarm, docs, T).state();
  }

  @Test
  void sum_addsTheSamplesOfTheAlignedPeriod() {
    // Period [10:05, 10:10) holds 10:05:00 and 10:06:59; 10:04:59 is in the previous period.
    List<EmfDocument> docs =
        List.of(
            doc("2026-11-22T10:04:59Z", 1),
            doc("2026-11-22T10:05:00Z", 1),
            doc("2026-11-22T10:06:59Z", 1));
    assertThat(state(alarm("Sum", 2, "GreaterThanOrEqualToThreshold"), docs)).isEqualTo("ALARM");
    assertThat(state(alarm("Sum", 3, "GreaterThanOrEqualToThreshold"), docs)).isEqualTo("OK");
  }

  @Test
  void average_isTheMeanOfTheSamples() {
    // 0,0,0,1 -> 0.25 > 0.2; 0,0,0,0,1 -> 0.2, not > 0.2.
    List<EmfDocument> four = new ArrayList<>();
    for (double v : new double[] {0, 0, 0, 1}) {
      four.add(doc("2026-11-22T10:06:00Z", v));
    }
    List<EmfDocument> five = new ArrayList<>(four);
    five.add(doc("2026-11-22T10:06:30Z", 0));
    ObjectNode a = alarm("Average", 0.2, "GreaterThanThreshold");
    assertThat(state(a, four)).isEqualTo("ALARM");
    assertThat(state(a, five)).isEqualTo("OK");
  }

  @Test
  void maximumMinimumSampleCount_andPercentile() {
    List<EmfDocument> docs = new ArrayList<>();
    for (int v = 1; v <= 10; v++) {
      docs.add(doc("2026-11-22T10:05:" + (10 + v) + "Z", v));
    }
    assertThat(state(alarm("Maximum", 10, "GreaterThanOrEqualToThreshold"), docs))
        .isEqualTo("ALARM");
    assertThat(state(alarm("Maximum", 10, "GreaterThanThreshold"), docs)).isEqualTo("OK");
    assertThat(state(alarm("Minimum", 1, "LessThanOrEqualToThreshold"), docs)).isEqualTo("ALARM");
    assertThat(state(alarm("Minimum", 1, "LessThanThreshold"), docs)).isEqualTo("OK");
    assertThat(state(alarm("SampleCount", 10, "GreaterThanOrEqualToThreshold"), docs))
        .isEqualTo("ALARM");
    assertThat(state(alarm("SampleCount", 11, "GreaterThanOrEqualToThreshold"), docs))
        .isEqualTo("OK");
    // p90 by nearest rank over 1..10 is 9.
    ObjectNode p90 = alarm("Sum", 9, "GreaterThanOrEqualToThreshold");
    p90.remove("Statistic");
    p90.put("ExtendedStatistic", "p90");
    assertThat(state(p90, docs)).isEqualTo("ALARM");
    p90.put("Threshold", 9.5);
    assertThat(state(p90, docs)).isEqualTo("OK");
  }

  @Test
  void dimensionsDiffer_insufficientData_andTheReasonShowsWhatWasWritten() {
    // The defect: the adapter wrote {service, environment}; the alarm selects {Service=cairn}.
    EmfDocument old =
        doc(
            "2026-11-22T10:06:00Z",
            1,
            Map.of("service", "orders", "environment", "prod"),
            List.of(List.of("service", "environment")));
    AlarmState s =
        AlarmEvaluator.evaluate(
            "A", alarm("Sum", 1, "GreaterThanOrEqualToThreshold"), List.of(old), T);
    assertThat(s.state()).isEqualTo("INSUFFICIENT_DATA");
    assertThat(s.reason()).contains("{Service=cairn}", "environment=prod");
  }

  @Test
  void aSupersetOfTheDimensionsIsAnotherMetric() {
    EmfDocument superset =
        doc(
            "2026-11-22T10:06:00Z",
            1,
            Map.of("Service", "cairn", "Environment", "prod"),
            List.of(List.of("Service", "Environment")));
    assertThat(state(alarm("Sum", 1, "GreaterThanOrEqualToThreshold"), List.of(superset)))
        .isEqualTo("INSUFFICIENT_DATA");
    EmfDocument bothSets =
        doc(
            "2026-11-22T10:06:00Z",
            1,
            Map.of("Service", "cairn", "Environment", "prod"),
            List.of(List.of("Service"), List.of("Service", "Environment")));
    assertThat(state(alarm("Sum", 1, "GreaterThanOrEqualToThreshold"), List.of(bothSets)))
        .isEqualTo("ALARM");
  }

  @Test
  void namespaceOrNameDiffer_insufficientData() {
    EmfDocument otherNamespace =
        new EmfDocument(
            "Other",
            "AssetHashMismatch",
            CAIRN,
            1,
            "Count",
            T.toEpochMilli() - 1000,
            List.of(List.of("Service")));
    EmfDocument otherName =
        new EmfDocument(
            "Cairn",
            "FinalizerCorrected",
            CAIRN,
            1,
            "Count",
            T.toEpochMilli() - 1000,
            List.of(List.of("Service")));
    assertThat(
            state(
                alarm("Sum", 1, "GreaterThanOrEqualToThreshold"),
                List.of(otherNamespace, otherName)))
        .isEqualTo("INSUFFICIENT_DATA");
  }

  @Test
  void mOutOfN_countsBreachingPeriods() {
    // Periods 09:55, 10:00, 10:05 (N=3, M=2); Sum >= 1 breaches.
    ObjectNode a = alarm("Sum", 1, "GreaterThanOrEqualToThreshold");
    a.put("EvaluationPeriods", 3);
    a.put("DatapointsToAlarm", 2);
    a.put("TreatMissingData", "notBreaching");
    List<EmfDocument> oneBreach =
        List.of(doc("2026-11-22T09:56:00Z", 1), doc("2026-11-22T10:01:00Z", 0));
    assertThat(state(a, oneBreach)).isEqualTo("OK");
    List<EmfDocument> twoBreaches =
        List.of(
            doc("2026-11-22T09:56:00Z", 1),
            doc("2026-11-22T10:01:00Z", 0),
            doc("2026-11-22T10:06:00Z", 2));
    assertThat(state(a, twoBreaches)).isEqualTo("ALARM");
    // 09:54:59 is before the range: with it the range still holds one breach.
    List<EmfDocument> early =
        List.of(doc("2026-11-22T09:54:59Z", 1), doc("2026-11-22T10:06:00Z", 1));
    assertThat(state(a, early)).isEqualTo("OK");
  }

  @Test
  void missingData_eachTreatment() {
    ObjectNode a = alarm("Sum", 1, "GreaterThanOrEqualToThreshold");
    a.put("EvaluationPeriods", 3);
    a.put("DatapointsToAlarm", 3);
    List<EmfDocument> none = List.of();
    assertThat(state(a, none)).isEqualTo("INSUFFICIENT_DATA");
    a.put("TreatMissingData", "notBreaching");
    assertThat(state(a, none)).isEqualTo("OK");
    a.put("TreatMissingData", "breaching");
    assertThat(state(a, none)).isEqualTo("ALARM");
    a.put("TreatMissingData", "ignore");
    assertThat(AlarmEvaluator.evaluate("A", a, none, T, "ALARM").state()).isEqualTo("ALARM");
    assertThat(AlarmEvaluator.evaluate("A", a, none, T, "OK").state()).isEqualTo("OK");

    // One breaching datapoint, two missing, M=3: missing -> ALARM (all present breach),
    // notBreaching -> OK (1 of 3), breaching -> ALARM (3 of 3), ignore -> state kept.
    List<EmfDocument> one = List.of(doc("2026-11-22T10:01:00Z", 1));
    a.put("TreatMissingData", "missing");
    assertThat(state(a, one)).isEqualTo("ALARM");
    a.put("TreatMissingData", "notBreaching");
    assertThat(state(a, one)).isEqualTo("OK");
    a.put("TreatMissingData", "breaching");
    assertThat(state(a, one)).isEqualTo("ALARM");
    a.put("TreatMissingData", "ignore");
    assertThat(AlarmEvaluator.evaluate("A", a, one, T, "OK").state()).isEqualTo("OK");

    // One good datapoint, two missing: missing -> OK.
    a.put("TreatMissingData", "missing");
    assertThat(state(a, List.of(doc("2026-11-22T10:01:00Z", 0)))).isEqualTo("OK");
  }

  @Test
  void samplesAfterTheInstant_areNotYetSeen() {
    List<EmfDocument> later = List.of(doc("2026-11-22T10:08:00Z", 5));
    assertThat(state(alarm("Sum", 1, "GreaterThanOrEqualToThreshold"), later))
        .isEqualTo("INSUFFICIENT_DATA");
  }

  @Test
  void unitWhenGiven_mustMatch() {
    ObjectNode a = alarm("Sum", 1, "GreaterThanOrEqualToThreshold");
    a.put("Unit", "Seconds");
    assertThat(state(a, List.of(doc("2026-11-22T10:06:00Z", 1)))).isEqualTo("INSUFFICIENT_DATA");
    a.put("Unit", "Count");
    assertThat(state(a, List.of(doc("2026-11-22T10:06:00Z", 1)))).isEqualTo("ALARM");
  }

  @Test
  void metricMathAlarm_isRefused() {
    ObjectNode a = JSON.createObjectNode();
    a.putArray("Metrics").addObject().put("Id", "m1").put("Expression", "SUM(METRICS())");
    assertThatThrownBy(() -> AlarmEvaluator.evaluate("Math", a, List.of(), T))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("metric-math");
  }
}
