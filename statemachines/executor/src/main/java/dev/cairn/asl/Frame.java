package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One state as it runs: the state, its raw input, the clock it runs on, the Map item it belongs to
 * ({@code null} outside a Map iteration), the id of its {@code ...StateEntered} event, and the
 * context object ({@code $$}) for the current attempt.
 */
record Frame(
    State state,
    JsonNode input,
    VirtualClock clock,
    ObjectNode mapItem,
    long enteredId,
    ObjectNode context) {

  String name() {
    return state.name();
  }

  /** How Step Functions starts a cause that names the state it failed in. */
  String prefix() {
    return "An error occurred while executing the state '"
        + state.name()
        + "' (entered at the event id #"
        + enteredId
        + "). ";
  }

  /** A {@code States.Runtime} error for this state. */
  AslError runtime(String message) {
    return new AslError(Asl.RUNTIME, prefix() + message);
  }

  /** The same frame with the context of retry attempt {@code retryCount}. */
  Frame withContext(ObjectNode retryContext) {
    return new Frame(state, input, clock, mapItem, enteredId, retryContext);
  }
}
