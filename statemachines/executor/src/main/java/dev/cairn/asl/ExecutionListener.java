package dev.cairn.asl;

import java.time.Duration;

/** Observes an execution as it runs, for example to print progress. */
public interface ExecutionListener {

  /** Called for every history event, in order. */
  default void onEvent(HistoryEvent event) {}

  /** Called when a state exits (or fails), with the virtual time spent in it. */
  default void onStateCompleted(String stateName, String stateType, Duration duration) {}

  /** A listener that ignores everything. */
  static ExecutionListener none() {
    return new ExecutionListener() {};
  }
}
