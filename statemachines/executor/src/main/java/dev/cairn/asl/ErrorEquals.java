package dev.cairn.asl;

import java.util.List;

/**
 * A Retrier's or Catcher's {@code ErrorEquals} (spec "Error names"): {@code States.ALL} matches all
 * but the terminal errors, {@code States.TaskFailed} all but those and {@code States.Timeout}.
 */
record ErrorEquals(List<String> names) {
  ErrorEquals {
    names = List.copyOf(names);
  }

  boolean matches(String error) {
    for (String name : names) {
      if (name.equals(error)) {
        return true;
      }
      if (name.equals(Asl.ALL) && !terminal(error)) {
        return true;
      }
      if (name.equals(Asl.TASK_FAILED) && !terminal(error) && !Asl.TIMEOUT.equals(error)) {
        return true;
      }
    }
    return false;
  }

  /** A failure that is never retried or caught ({@code States.Runtime} and friends). */
  static boolean terminal(String error) {
    return Asl.RUNTIME.equals(error) || Asl.DATA_LIMIT_EXCEEDED.equals(error);
  }
}
