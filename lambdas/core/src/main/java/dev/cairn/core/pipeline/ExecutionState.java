package dev.cairn.core.pipeline;

import java.util.Optional;

/**
 * The whole state of the execution as the state machine passed it ({@code execution_state: $}),
 * kept as its JSON text: the release evidence record cites it as the execution had it, so no step
 * reshapes it.
 *
 * @param json the state's JSON object, as received
 * @param error the state's {@code error} (the failure a rollback or a success path carried), or
 *     null when it has none
 */
public record ExecutionState(String json, CaughtError error) {

  /** No state was passed. */
  public static final ExecutionState NONE = new ExecutionState("{}", null);

  public ExecutionState {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("execution_state is missing");
    }
  }

  public Optional<CaughtError> failure() {
    return Optional.ofNullable(error);
  }
}
