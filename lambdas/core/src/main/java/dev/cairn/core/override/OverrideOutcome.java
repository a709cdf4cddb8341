package dev.cairn.core.override;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.OverrideFailure;
import java.util.Objects;

/**
 * What became of one override request: applied, or refused for a stable reason. Either way {@link
 * #answer()} is the override Lambda's output, and the audit entry and events are already written.
 */
public sealed interface OverrideOutcome {

  /** The Lambda's output for this outcome. */
  ObjectNode answer();

  /**
   * The request was applied: the ledger moved, and an execution started where the action needs one.
   */
  record Applied(ObjectNode answer) implements OverrideOutcome {
    public Applied {
      Objects.requireNonNull(answer, "answer");
    }
  }

  /**
   * The request was refused with {@code failure}; {@code detail} says why in words, and the ledger
   * is unchanged.
   */
  record Refused(OverrideFailure failure, String detail, ObjectNode answer)
      implements OverrideOutcome {
    public Refused {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(answer, "answer");
    }
  }
}
