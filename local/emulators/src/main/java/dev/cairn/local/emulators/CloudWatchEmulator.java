package dev.cairn.local.emulators;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryResponse;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * An honest CloudWatch for bake periods and metrics: {@code DescribeAlarms} over alarms whose
 * {@code StateValue} ({@code OK}/{@code ALARM}/{@code INSUFFICIENT_DATA}) tests set by name, with
 * the API's filters ({@code AlarmNames}, {@code AlarmNamePrefix}, {@code StateValue}); unknown
 * names are simply absent, as in the API. {@code PutMetricData} is recorded per datum; a namespace
 * starting with {@code AWS/} is rejected with {@code InvalidParameterValue} (400), as is a request
 * with more than 1000 data.
 *
 * <p><b>Alarm history.</b> Every state change made through {@link #setAlarmState} (a new alarm
 * starts from {@code INSUFFICIENT_DATA}) is recorded as a {@code StateUpdate} item at the virtual
 * clock's instant, with the API's {@code HistorySummary} ("Alarm updated from OK to ALARM") and
 * {@code HistoryData} JSON ({@code version}, {@code oldState}/{@code newState} each with {@code
 * stateValue} and {@code stateReason}). {@code DescribeAlarmHistory} filters by {@code AlarmName},
 * {@code HistoryItemType}, {@code StartDate}/{@code EndDate} (both inclusive), returns newest first
 * unless {@code ScanBy=TimestampAscending}, and pages by {@code MaxRecords} (1-100, default 100)
 * and {@code NextToken}. Setting the state an alarm already has records nothing, as CloudWatch only
 * records transitions.
 */
public final class CloudWatchEmulator implements CloudWatchClient {

  /** One recorded datum (a value, or the sum of a statistic set / values list). */
  public record Metric(
      String namespace,
      String metricName,
      double value,
      String unit,
      Map<String, String> dimensions,
      Instant timestamp) {}

  private final String account;
  private final String region;
  private final Clock clock;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final Map<String, MetricAlarm> alarms = new TreeMap<>();
  private final List<Metric> metrics = new ArrayList<>();
  private final List<AlarmHistoryItem> history = new ArrayList<>();

  public CloudWatchEmulator(String account, String region, Clock clock) {
    this.account = account;
    this.region = region;
    this.clock = clock;
  }

  /**
   * Creates or updates alarm {@code name} in {@code state}; a change of state is recorded in the
   * alarm history at the clock's instant.
   */
  public synchronized void setAlarmState(String name, StateValue state, String reason) {
    MetricAlarm before = alarms.get(name);
    StateValue old = before == null ? StateValue.INSUFFICIENT_DATA : before.stateValue();
    String oldReason = before == null ? "Unchecked: Initial alarm creation" : before.stateReason();
    if (before == null || old != state) {
      history.add(
          AlarmHistoryItem.builder()
              .alarmName(name)
              .alarmType(AlarmType.METRIC_ALARM)
              .timestamp(clock.instant())
              .historyItemType(HistoryItemType.STATE_UPDATE)
              .historySummary("Alarm updated from " + old + " to " + state)
              .historyData(historyData(old, oldReason, state, reason))
              .build());
    }
    alarms.put(
        name,
        MetricAlarm.builder()
            .alarmName(name)
            .alarmArn("arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name)
            .stateValue(state)
            .stateReason(reason)
            .stateUpdatedTimestamp(clock.instant())
            .build());
  }

  /** Every alarm history item, oldest first. */
  public synchronized List<AlarmHistoryItem> history() {
    return List.copyOf(history);
  }

  /** Every recorded datum, in order. */
  public synchronized List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /** The values recorded for {@code namespace}/{@code metricName}, in order. */
  public synchronized List<Double> values(String namespace, String metricName) {
    return metrics.stream()
        .filter(m -> m.namespace().equals(namespace) && m.metricName().equals(metricName))
        .map(Metric::value)
        .toList();
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(String operation, int times, Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public synchronized DescribeAlarmsResponse describeAlarms(DescribeAlarmsRequest request) {
    calls.record("DescribeAlarms", request);
    List<MetricAlarm> out = new ArrayList<>();
    for (MetricAlarm a : alarms.values()) {
      if (request.hasAlarmNames() && !request.alarmNames().contains(a.alarmName())) {
        continue;
      }
      if (request.alarmNamePrefix() != null
          && !a.alarmName().startsWith(request.alarmNamePrefix())) {
        continue;
      }
      if (request.stateValue() != null && request.stateValue() != a.stateValue()) {
        continue;
      }
      out.add(a);
    }
    return DescribeAlarmsResponse.builder().metricAlarms(out).build();
  }

  @Override
  public synchronized DescribeAlarmHistoryResponse describeAlarmHistory(
      DescribeAlarmHistoryRequest request) {
    calls.record("DescribeAlarmHistory", request);
    int max = request.maxRecords() == null ? 100 : request.maxRecords();
    if (max < 1 || max > 100) {
      throw invalid("The value " + max + " for parameter MaxRecords is not between 1 and 100.");
    }
    List<AlarmHistoryItem> matching = new ArrayList<>();
    for (AlarmHistoryItem i : history) {
      if (request.alarmName() != null && !request.alarmName().equals(i.alarmName())) {
        continue;
      }
      if (request.historyItemType() != null && request.historyItemType() != i.historyItemType()) {
        continue;
      }
      if (request.startDate() != null && i.timestamp().isBefore(request.startDate())) {
        continue;
      }
      if (request.endDate() != null && i.timestamp().isAfter(request.endDate())) {
        continue;
      }
      matching.add(i);
    }
    if (request.scanBy() != ScanBy.TIMESTAMP_ASCENDING) {
      java.util.Collections.reverse(matching);
    }
    int from;
    try {
      from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
    } catch (NumberFormatException e) {
      throw invalid("The value " + request.nextToken() + " for parameter NextToken is invalid.");
    }
    int to = Math.min(matching.size(), from + max);
    return DescribeAlarmHistoryResponse.builder()
        .alarmHistoryItems(matching.subList(Math.min(from, to), to))
        .nextToken(to < matching.size() ? Integer.toString(to) : null)
        .build();
  }

  @Override
  public DescribeAlarmHistoryResponse describeAlarmHistory() {
    return describeAlarmHistory(DescribeAlarmHistoryRequest.builder().build());
  }

  /** The API's {@code HistoryData} of a {@code StateUpdate} item. */
  private static String historyData(
      StateValue old, String oldReason, StateValue state, String reason) {
    com.fasterxml.jackson.databind.node.ObjectNode d =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    d.put("version", "1.0");
    d.putObject("oldState").put("stateValue", old.toString()).put("stateReason", oldReason);
    d.putObject("newState").put("stateValue", state.toString()).put("stateReason", reason);
    return d.toString();
  }

  @Override
  public DescribeAlarmsResponse describeAlarms() {
    return describeAlarms(DescribeAlarmsRequest.builder().build());
  }

  @Override
  public synchronized PutMetricDataResponse putMetricData(PutMetricDataRequest request) {
    calls.record("PutMetricData", request);
    String ns = request.namespace();
    if (ns == null || ns.startsWith("AWS/")) {
      throw invalid("The value " + ns + " for parameter Namespace is invalid.");
    }
    if (request.metricData().size() > 1000) {
      throw invalid("The collection MetricData must not have a size greater than 1000.");
    }
    for (MetricDatum d : request.metricData()) {
      Map<String, String> dims = new LinkedHashMap<>();
      for (Dimension dim : d.dimensions()) {
        dims.put(dim.name(), dim.value());
      }
      double value;
      if (d.value() != null) {
        value = d.value();
      } else if (d.statisticValues() != null) {
        value = d.statisticValues().sum();
      } else {
        value = d.values().stream().mapToDouble(Double::doubleValue).sum();
      }
      metrics.add(
          new Metric(
              ns,
              d.metricName(),
              value,
              d.unitAsString(),
              Map.copyOf(dims),
              d.timestamp() == null ? clock.instant() : d.timestamp()));
    }
    return PutMetricDataResponse.builder().build();
  }

  private static InvalidParameterValueException invalid(String message) {
    return AwsErrors.error(
        InvalidParameterValueException.builder(),
        "CloudWatch",
        "InvalidParameterValue",
        400,
        message);
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
