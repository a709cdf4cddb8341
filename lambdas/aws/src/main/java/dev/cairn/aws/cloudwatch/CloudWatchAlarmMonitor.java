package dev.cairn.aws.cloudwatch;

import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.core.pipeline.AlarmMonitor;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Reads the bake alarms in the target environment through its read-only role. Fail-closed: an alarm
 * that is configured but does not exist counts as firing, because an unwatched bake is no bake.
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
  public List<String> inAlarm(EnvironmentPolicy environment, List<String> alarmNames) {
    CloudWatchClient cw =
        clients.apply(
            environment,
            AssumedRoleStackDeployers.assume(
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
    return firing;
  }
}
