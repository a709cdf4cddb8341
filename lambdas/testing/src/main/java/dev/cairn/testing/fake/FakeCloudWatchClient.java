package dev.cairn.testing.fake;

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
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * An honest CloudWatch for bake periods and metrics: {@code DescribeAlarms} over alarms whose
 * {@code StateValue} ({@code OK}/{@code ALARM}/{@code INSUFFICIENT_DATA}) tests set by name, with
 * the API's filters ({@code AlarmNames}, {@code AlarmNamePrefix}, {@code StateValue}); unknown
 * names are simply absent, as in the API. {@code PutMetricData} is recorded per datum; a namespace
 * starting with {@code AWS/} is rejected with {@code InvalidParameterValue} (400), as is a request
 * with more than 1000 data.
 */
public final class FakeCloudWatchClient implements CloudWatchClient {

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
  private final FakeCalls calls = new FakeCalls();
  private final Map<String, MetricAlarm> alarms = new TreeMap<>();
  private final List<Metric> metrics = new ArrayList<>();

  public FakeCloudWatchClient(String account, String region, Clock clock) {
    this.account = account;
    this.region = region;
    this.clock = clock;
  }

  /** Creates or updates alarm {@code name} in {@code state}. */
  public synchronized void setAlarmState(String name, StateValue state, String reason) {
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
