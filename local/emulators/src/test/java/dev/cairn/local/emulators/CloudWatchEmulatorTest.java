package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

class CloudWatchEmulatorTest {

  private final CloudWatchEmulator cw =
      new CloudWatchEmulator(
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

  @Test
  void describeAlarmHistory_recordsEachStateChange_atTheClockInstant_newestFirst() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    CloudWatchEmulator cw = new CloudWatchEmulator("111111111111", "eu-west-1", clock);
    cw.setAlarmState("svc-5xx", StateValue.OK, "Threshold not crossed");
    clock.now = Instant.parse("2026-11-22T10:03:00Z");
    cw.setAlarmState("svc-5xx", StateValue.ALARM, "Threshold Crossed");
    clock.now = Instant.parse("2026-11-22T10:04:00Z");
    cw.setAlarmState("svc-5xx", StateValue.ALARM, "still crossed"); // no transition
    clock.now = Instant.parse("2026-11-22T10:05:00Z");
    cw.setAlarmState("svc-5xx", StateValue.OK, "Threshold not crossed");
    cw.setAlarmState("other", StateValue.ALARM, "x");

    var items =
        cw.describeAlarmHistory(
                r ->
                    r.alarmName("svc-5xx")
                        .historyItemType(HistoryItemType.STATE_UPDATE)
                        .startDate(Instant.parse("2026-11-22T10:01:00Z")))
            .alarmHistoryItems();

    assertThat(items)
        .extracting(AlarmHistoryItem::timestamp, AlarmHistoryItem::historySummary)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Instant.parse("2026-11-22T10:05:00Z"), "Alarm updated from ALARM to OK"),
            org.assertj.core.groups.Tuple.tuple(
                Instant.parse("2026-11-22T10:03:00Z"), "Alarm updated from OK to ALARM"));
    assertThat(items.get(1).historyItemType()).isEqualTo(HistoryItemType.STATE_UPDATE);
    assertThat(items.get(1).historyData())
        .contains("\"oldState\":{\"stateValue\":\"OK\"")
        .contains("\"newState\":{\"stateValue\":\"ALARM\",\"stateReason\":\"Threshold Crossed\"}");
    assertThat(cw.callCounts()).containsEntry("DescribeAlarmHistory", 1);
  }

  @Test
  void describeAlarmHistory_newAlarmStartsFromInsufficientData_andEndDateIsInclusive() {
    cw.setAlarmState("svc-5xx", StateValue.OK, "ok");
    var items =
        cw.describeAlarmHistory(r -> r.endDate(Instant.parse("2026-11-22T10:00:00Z")))
            .alarmHistoryItems();
    assertThat(items)
        .singleElement()
        .extracting(AlarmHistoryItem::historySummary)
        .isEqualTo("Alarm updated from INSUFFICIENT_DATA to OK");
    assertThat(
            cw.describeAlarmHistory(r -> r.endDate(Instant.parse("2026-11-22T09:59:59Z")))
                .alarmHistoryItems())
        .isEmpty();
    assertThat(
            cw.describeAlarmHistory(r -> r.historyItemType(HistoryItemType.CONFIGURATION_UPDATE))
                .alarmHistoryItems())
        .isEmpty();
  }

  @Test
  void describeAlarmHistory_pagesByMaxRecords_andRejectsMoreThan100() {
    for (int i = 0; i < 3; i++) {
      cw.setAlarmState("a" + i, StateValue.ALARM, "x");
    }
    var first = cw.describeAlarmHistory(r -> r.maxRecords(2).scanBy(ScanBy.TIMESTAMP_ASCENDING));
    assertThat(first.alarmHistoryItems())
        .extracting(AlarmHistoryItem::alarmName)
        .containsExactly("a0", "a1");
    var second =
        cw.describeAlarmHistory(
            r -> r.maxRecords(2).scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(first.nextToken()));
    assertThat(second.alarmHistoryItems())
        .extracting(AlarmHistoryItem::alarmName)
        .containsExactly("a2");
    assertThat(second.nextToken()).isNull();
    assertThat(cw.describeAlarmHistoryPaginator(r -> r.maxRecords(1)).alarmHistoryItems())
        .hasSize(3);
    assertThatThrownBy(() -> cw.describeAlarmHistory(r -> r.maxRecords(101)))
        .isInstanceOf(InvalidParameterValueException.class);
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
