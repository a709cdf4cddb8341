package dev.cairn.core.pipeline.port;

import dev.cairn.core.pipeline.EnvironmentPolicy;
import java.time.Instant;
import java.util.List;

/** Port: CloudWatch alarms watched during an environment's bake and post-deploy watch. */
public interface AlarmMonitor {

  /**
   * What {@code alarmNames} did from {@code since} until now: the names whose state is {@code
   * ALARM} now (an alarm that does not exist is reported as {@code "NAME (missing)"}), and every
   * state change recorded in the alarm history in that window, oldest first.
   */
  AlarmWindow watch(EnvironmentPolicy environment, List<String> alarmNames, Instant since);

  /** One alarm history {@code StateUpdate}. */
  record AlarmTransition(String alarmName, Instant at, String oldState, String newState) {

    /** Did the alarm enter {@code ALARM} here? */
    public boolean enteredAlarm() {
      return "ALARM".equals(newState) && !"ALARM".equals(oldState);
    }

    @Override
    public String toString() {
      return alarmName + " " + oldState + "->" + newState + " at " + at;
    }
  }

  /** The alarms' state now and their transitions in the window. */
  record AlarmWindow(List<String> inAlarmNow, List<AlarmTransition> transitions) {

    public AlarmWindow {
      inAlarmNow = List.copyOf(inAlarmNow);
      transitions = List.copyOf(transitions);
    }

    /** In ALARM now, or entered ALARM at any time in the window (and perhaps recovered). */
    public List<String> firedDuringWindow() {
      java.util.LinkedHashSet<String> fired = new java.util.LinkedHashSet<>(inAlarmNow);
      transitions.stream()
          .filter(AlarmTransition::enteredAlarm)
          .forEach(t -> fired.add(t.alarmName()));
      return List.copyOf(fired);
    }
  }
}
