package dev.cairn.aws.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.sts.AssumedRoles;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Reads the bake alarms in the target environment through its read-only role: {@code
 * DescribeAlarms} for their state now and {@code DescribeAlarmHistory} ({@code StateUpdate} items
 * from the window's start) for what they did since. Fail-closed: an alarm that is configured but
 * does not exist counts as firing, because an unwatched bake is no bake; a history item whose
 * {@code HistoryData} cannot be read counts as having entered ALARM.
 */
public final class CloudWatchAlarmMonitor implements AlarmMonitor {

  private final StsClient sts;
  private final BiFunction<EnvironmentPolicy, AwsCredentialsProvider, CloudWatchClient> clients;

  public CloudWatchAlarmMonitor(
      StsClient sts,
      BiFunction<EnvironmentPolicy, AwsCredentialsProvider, CloudWatchClient> clients) {
    this.sts = sts;
    this.clients = clients;
  }

  @Override
  public AlarmWindow watch(EnvironmentPolicy environment, List<String> alarmNames, Instant since) {
    CloudWatchClient cw =
        clients.apply(
            environment,
            AssumedRoles.assume(
                sts, environment.readOnlyRoleArn(), "cairn-bake-" + environment.name()));
    List<String> firing = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < alarmNames.size(); i += 100) {
      List<String> batch = alarmNames.subList(i, Math.min(alarmNames.size(), i + 100));
      for (MetricAlarm a : cw.describeAlarmsPaginator(r -> r.alarmNames(batch)).metricAlarms()) {
        seen.add(a.alarmName());
        if (a.stateValue() == StateValue.ALARM) {
          firing.add(a.alarmName());
        }
      }
    }
    for (String name : alarmNames) {
      if (!seen.contains(name)) {
        firing.add(name + " (missing)");
      }
    }
    List<AlarmTransition> transitions = new ArrayList<>();
    for (String name : alarmNames) {
      if (!seen.contains(name)) {
        continue;
      }
      for (AlarmHistoryItem item :
          cw.describeAlarmHistoryPaginator(
                  r ->
                      r.alarmName(name)
                          .historyItemType(HistoryItemType.STATE_UPDATE)
                          .startDate(since))
              .alarmHistoryItems()) {
        transitions.add(transition(item));
      }
    }
    transitions.sort(Comparator.comparing(AlarmTransition::at));
    return new AlarmWindow(firing, transitions);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static AlarmTransition transition(AlarmHistoryItem item) {
    String oldState = "UNKNOWN";
    String newState = "ALARM";
    try {
      JsonNode d = JSON.readTree(item.historyData() == null ? "{}" : item.historyData());
      oldState = d.at("/oldState/stateValue").asText("UNKNOWN");
      newState = d.at("/newState/stateValue").asText("ALARM");
    } catch (IOException e) {
      // Unreadable: counted as entering ALARM (fail closed).
    }
    return new AlarmTransition(item.alarmName(), item.timestamp(), oldState, newState);
  }

  /** Through each environment's read-only role, on the function's STS client. */
  public static CloudWatchAlarmMonitor of(ControlPlaneWiring w) {
    return new CloudWatchAlarmMonitor(
        w.clients().client(StsClient.class),
        (e, c) -> w.clients().client(CloudWatchClient.class, e.region(), c));
  }

  /** SnapStart priming of the bake's alarm reads. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "CloudWatch",
        CloudWatchClient::builder,
        (CloudWatchClient c) -> c.describeAlarms(r -> r.alarmNames("priming")));
  }
}
