package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * The attempt loop of Task, Parallel and Map states (spec "Error Handling"): an error goes to the
 * first Retrier whose ErrorEquals matches it, and is retried while that Retrier has attempts left;
 * then to the first matching Catcher; otherwise it fails the state. {@code States.Runtime} and
 * {@code States.DataLimitExceeded} are neither retried nor caught.
 */
final class RetryAndCatch {
  private final Execution execution;
  private final Random random;
  private final TaskRunner tasks;
  private final ParallelRunner parallels;
  private final MapRunner maps;

  RetryAndCatch(
      Execution execution,
      Random random,
      TaskRunner tasks,
      ParallelRunner parallels,
      MapRunner maps) {
    this.execution = execution;
    this.random = random;
    this.tasks = tasks;
    this.parallels = parallels;
    this.maps = maps;
  }

  Execution.Step run(State.Retryable state, Frame first) {
    List<Retrier> retriers = state.retry();
    int[] attempts = new int[retriers.size()];
    int retryCount = 0;
    while (true) {
      // Each attempt sees its RetryCount; EnteredTime stays that of the state entry.
      Frame f =
          retryCount == 0
              ? first
              : first.withContext(
                  execution.context(
                      state, execution.eventTime(first.enteredId()), retryCount, first.mapItem()));
      try {
        return new Execution.Step(attempt(state, f), state.next());
      } catch (AslError e) {
        if (ErrorEquals.terminal(e.error())) {
          throw e;
        }
        int k = matching(retriers, e.error());
        if (k >= 0 && attempts[k] < retriers.get(k).maxAttempts()) {
          execution.sleep(f.clock(), retriers.get(k).backoff(attempts[k], random));
          attempts[k]++;
          retryCount++;
          continue;
        }
        for (Catcher catcher : state.catchers()) {
          if (catcher.errorEquals().matches(e.error())) {
            return new Execution.Step(
                DataFlow.place(catcher.resultPath(), f.input(), errorOutput(e)), catcher.next());
          }
        }
        throw e;
      }
    }
  }

  private JsonNode attempt(State.Retryable state, Frame f) {
    if (state instanceof State.Task t) {
      return tasks.run(t, f);
    }
    if (state instanceof State.Parallel p) {
      return parallels.run(p, f);
    }
    return maps.run((State.Map) state, f);
  }

  /** The index of the first Retrier that matches {@code error}, or -1. */
  private static int matching(List<Retrier> retriers, String error) {
    for (int k = 0; k < retriers.size(); k++) {
      if (retriers.get(k).errorEquals().matches(error)) {
        return k;
      }
    }
    return -1;
  }

  /** The Error Output a Catcher passes on (spec "Fallback states"). */
  private static ObjectNode errorOutput(AslError e) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("Error", e.error());
    if (e.errorCause() != null) {
      out.put("Cause", e.errorCause());
    }
    return out;
  }
}
