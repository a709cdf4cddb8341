package dev.cairn.sandbox.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.asl.VirtualClock;
import dev.cairn.aws.metrics.MetricsContract;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The production adapter's real EMF, captured in process, against the synthesized alarms
 * (control-plane-alarms.json, which cdk's ControlPlaneStackTest keeps equal to the template).
 */
class MetricsAlarmScenarioTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MetricsContract CONTRACT = MetricsContract.load();
  private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
  private static JsonNode alarms;

  @BeforeAll
  static void readAlarms() throws Exception {
    try (InputStream in =
        MetricsAlarmScenarioTest.class.getResourceAsStream("control-plane-alarms.json")) {
      alarms = JSON.readTree(in);
    }
  }

  private static AlarmState evaluate(String alarm, EmfCapture capture, Instant at) {
    return AlarmEvaluator.evaluate(alarm, alarms.path(alarm), capture.documents(), at);
  }

  @Test
  void capturedDocuments_carryTheContractsDimensionSets_andTheVirtualTime() {
    VirtualClock clock = new VirtualClock(START);
    EmfCapture capture = EmfCapture.create(clock);
    PowertoolsPipelineMetrics metrics = new PowertoolsPipelineMetrics(capture.metrics(), CONTRACT);
    metrics.testResult("orders", "stage", false);
    clock.advance(Duration.ofMinutes(3));
    metrics.artifactNeverPromoted(2);

    List<EmfDocument> docs = capture.documents();
    assertThat(docs).hasSize(2);
    EmfDocument test = docs.get(0);
    assertThat(test.namespace()).isEqualTo("Cairn");
    assertThat(test.metric()).isEqualTo("TestFailureRate");
    assertThat(test.value()).isEqualTo(1.0);
    assertThat(test.unit()).isEqualTo("Count");
    assertThat(test.dimensionSets()).isEqualTo(CONTRACT.dimensionSets("TestFailureRate"));
    assertThat(test.dimensions())
        .isEqualTo(Map.of("Service", "cairn", "DeployedService", "orders", "Environment", "stage"));
    assertThat(test.timestampMillis()).isEqualTo(START.toEpochMilli());
    EmfDocument gauge = docs.get(1);
    assertThat(gauge.dimensionSets()).isEqualTo(List.of(List.of("Service")));
    assertThat(gauge.timestampMillis()).isEqualTo(START.plus(Duration.ofMinutes(3)).toEpochMilli());
    assertThat(capture.rawDocuments().get(0)).contains("\"_aws\"", "\"CloudWatchMetrics\"");
  }

  @Test
  void everySpecMetric_matchesItsSynthesizedAlarmsDimensions() {
    EmfCapture capture = EmfCapture.create(new VirtualClock(START));
    PowertoolsPipelineMetrics metrics = new PowertoolsPipelineMetrics(capture.metrics(), CONTRACT);
    metrics.deployLatency("orders", "prod", Duration.ofHours(5));
    metrics.rollbackLatency("orders", "prod", Duration.ofMinutes(20));
    for (int i = 0; i < 3; i++) {
      metrics.finalizerCorrected("orders", "stage");
    }
    metrics.artifactNeverPromoted(1);
    metrics.testResult("orders", "stage", false);
    metrics.rollbackAttempt("orders", "prod", false);
    metrics.assetHashMismatch("orders", "stage");
    // Seed 004's KPIs exactly at their targets: "under 30 min" and "under 5 %" are missed there.
    metrics.deliveryKpis(new dev.cairn.core.kpi.KpiGauges(1800.0, 5.0, 900.0, 2.0));
    Instant at = START.plusSeconds(1);
    alarms
        .fieldNames()
        .forEachRemaining(
            alarm -> assertThat(evaluate(alarm, capture, at).state()).as(alarm).isEqualTo("ALARM"));
    assertThat(alarms.size()).isEqualTo(CONTRACT.metrics().size());
  }

  @Test
  void oneFailedStageTest_alarmsForSevenDays_thenOk() {
    VirtualClock clock = new VirtualClock(START);
    EmfCapture capture = EmfCapture.create(clock);
    PowertoolsPipelineMetrics metrics = new PowertoolsPipelineMetrics(capture.metrics(), CONTRACT);
    for (int i = 0; i < 50; i++) {
      metrics.testResult("orders", i % 2 == 0 ? "stage" : "prod", true);
    }
    assertThat(evaluate("TestFailureRateAlarm", capture, clock.instant()).state()).isEqualTo("OK");
    metrics.testResult("orders", "stage", false);
    assertThat(evaluate("TestFailureRateAlarm", capture, clock.instant()).state())
        .isEqualTo("ALARM");
    // Daily periods 2026-01-05 .. 2026-01-11 still hold the failure; from 2026-01-12 it is gone.
    assertThat(
            evaluate("TestFailureRateAlarm", capture, Instant.parse("2026-01-11T23:59:59Z"))
                .state())
        .isEqualTo("ALARM");
    assertThat(
            evaluate("TestFailureRateAlarm", capture, Instant.parse("2026-01-12T00:00:00Z"))
                .state())
        .isEqualTo("OK");
  }

  @Test
  void oneFailedProdSmokeTest_andOneExhaustedRollback_eachAlarm() {
    VirtualClock clock = new VirtualClock(START);
    EmfCapture capture = EmfCapture.create(clock);
    PowertoolsPipelineMetrics metrics = new PowertoolsPipelineMetrics(capture.metrics(), CONTRACT);
    metrics.testResult("payments", "prod", false);
    metrics.rollbackAttempt("payments", "prod", false);
    assertThat(evaluate("TestFailureRateAlarm", capture, clock.instant()).state())
        .isEqualTo("ALARM");
    assertThat(evaluate("RollbackFailureRateAlarm", capture, clock.instant()).state())
        .isEqualTo("ALARM");
    assertThat(evaluate("AssetHashMismatchAlarm", capture, clock.instant()).state())
        .isEqualTo("OK");
  }

  /** The defect, reproduced: documents dimensioned {service, environment} never reach the alarm. */
  @Test
  void theOldDimensions_leaveTheAlarmOkForever() {
    VirtualClock clock = new VirtualClock(START);
    EmfCapture capture = EmfCapture.create(clock);
    capture
        .metrics()
        .flushSingleMetric(
            "TestFailureRate",
            1,
            MetricUnit.COUNT,
            "Cairn",
            DimensionSet.of("service", "orders", "environment", "stage"));
    AlarmState state = evaluate("TestFailureRateAlarm", capture, clock.instant());
    assertThat(state.state()).isEqualTo("OK"); // notBreaching: silence looks healthy
    assertThat(state.reason()).contains("0 of 7");
  }

  @Test
  void install_capturesWhatMetricsFactoryHandsOut() {
    VirtualClock clock = new VirtualClock(START);
    EmfCapture capture = EmfCapture.install(clock);
    try {
      new PowertoolsPipelineMetrics(MetricsFactory.getMetricsInstance(), CONTRACT)
          .assetHashMismatch("orders", "stage");
    } finally {
      EmfCapture.uninstall();
    }
    assertThat(capture.documents())
        .extracting(EmfDocument::metric)
        .containsExactly("AssetHashMismatch");
    assertThat(evaluate("AssetHashMismatchAlarm", capture, clock.instant()).state())
        .isEqualTo("ALARM");
  }
}
