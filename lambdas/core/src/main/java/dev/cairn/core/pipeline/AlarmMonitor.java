package dev.cairn.core.pipeline;

import java.util.List;

/** Port: CloudWatch alarms watched during an environment's bake period. */
public interface AlarmMonitor {

  /** The names among {@code alarmNames} whose state is {@code ALARM} now. */
  List<String> inAlarm(EnvironmentPolicy environment, List<String> alarmNames);
}
