package dev.cairn.sandbox.metrics;

import java.util.Set;

/**
 * An alarm's state after one evaluation.
 *
 * @param alarmName the alarm's logical id (or AlarmName)
 * @param state {@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA}
 * @param reason why, in the shape of CloudWatch's StateReason
 */
public record AlarmState(String alarmName, String state, String reason) {

  public static final String OK = "OK";
  public static final String ALARM = "ALARM";
  public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

  public AlarmState {
    if (!Set.of(OK, ALARM, INSUFFICIENT_DATA).contains(state)) {
      throw new IllegalArgumentException("unknown alarm state: " + state);
    }
  }
}
