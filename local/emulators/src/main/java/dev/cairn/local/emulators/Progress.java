package dev.cairn.local.emulators;

import java.time.Instant;
import java.util.List;

/**
 * A status sequence advanced by observation: see {@link CloudFormationEmulator}. With {@code due}
 * (one instant per step) a step is reached when its instant has come; without, each observation
 * after the first advances one step.
 */
final class Progress<S> {
  private final List<S> steps;
  private final List<Instant> due;
  private int cursor = -1;

  Progress(List<S> steps, List<Instant> due) {
    if (!due.isEmpty() && due.size() != steps.size()) {
      throw new IllegalArgumentException("one instant per step");
    }
    this.steps = List.copyOf(steps);
    this.due = List.copyOf(due);
  }

  /** Returns the current status, advancing as the model says. */
  S observe(Instant now) {
    if (due.isEmpty()) {
      if (cursor < steps.size() - 1) {
        cursor++;
      }
      return current();
    }
    while (cursor < steps.size() - 1 && !now.isBefore(due.get(cursor + 1))) {
      cursor++;
    }
    cursor = Math.max(cursor, 0);
    return current();
  }

  S current() {
    return steps.get(Math.max(cursor, 0));
  }

  /** True once the first observation has happened. */
  boolean started() {
    return cursor >= 0;
  }

  boolean done() {
    return cursor == steps.size() - 1;
  }
}
