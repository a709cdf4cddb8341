package dev.cairn.testing.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

class FakeCloudWatchClientTest {

  private final FakeCloudWatchClient cw =
      new FakeCloudWatchClient(
          "111111111111",
          "eu-west-1",
          Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

  @Test
  void describeAlarms_returnsSettableStates_filteredLikeTheApi() {
    cw.setAlarmState("svc-5xx", StateValue.OK, "ok");
    cw.setAlarmState("svc-latency", StateValue.ALARM, "Threshold Crossed");
    cw.setAlarmState("other", StateValue.INSUFFICIENT_DATA, "no data");

    assertThat(
            cw.describeAlarms(r -> r.alarmNames("svc-5xx", "svc-latency", "missing"))
                .metricAlarms())
        .extracting(MetricAlarm::alarmName, MetricAlarm::stateValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("svc-5xx", StateValue.OK),
            org.assertj.core.groups.Tuple.tuple("svc-latency", StateValue.ALARM));
    assertThat(cw.describeAlarms(r -> r.stateValue(StateValue.ALARM)).metricAlarms())
        .extracting(MetricAlarm::alarmName)
        .containsExactly("svc-latency");
    assertThat(cw.describeAlarms(r -> r.alarmNamePrefix("svc-")).metricAlarms()).hasSize(2);
    assertThat(cw.describeAlarms().metricAlarms().get(0).alarmArn())
        .isEqualTo("arn:aws:cloudwatch:eu-west-1:111111111111:alarm:other");
  }

  @Test
  void putMetricData_isRecorded() {
    cw.putMetricData(
        r ->
            r.namespace("Cairn")
                .metricData(
                    MetricDatum.builder()
                        .metricName("FinalizerCorrected")
                        .value(1.0)
                        .unit(StandardUnit.COUNT)
                        .dimensions(Dimension.builder().name("environment").value("prod").build())
                        .build()));
    assertThat(cw.values("Cairn", "FinalizerCorrected")).containsExactly(1.0);
    var m = cw.metrics().get(0);
    assertThat(m.dimensions()).isEqualTo(Map.of("environment", "prod"));
    assertThat(m.unit()).isEqualTo("Count");
    assertThat(cw.callCounts()).containsEntry("PutMetricData", 1);
  }

  @Test
  void putMetricData_awsNamespace_isInvalidParameterValue() {
    assertThatThrownBy(
            () ->
                cw.putMetricData(
                    r ->
                        r.namespace("AWS/Lambda")
                            .metricData(MetricDatum.builder().metricName("X").value(1.0).build())))
        .isInstanceOfSatisfying(
            InvalidParameterValueException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    assertThat(cw.metrics()).isEmpty();
  }
}
