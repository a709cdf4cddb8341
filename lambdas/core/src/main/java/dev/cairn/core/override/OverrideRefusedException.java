package dev.cairn.core.override;

import dev.cairn.core.failure.OverrideFailure;

/**
 * An override request refused for a stated, stable reason: how a step of {@link OverrideUseCase}
 * stops the sequence. It never leaves the use case, which answers {@link OverrideOutcome.Refused}.
 */
public final class OverrideRefusedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final OverrideFailure failure;
  private final String detail;

  public OverrideRefusedException(OverrideFailure failure, String detail) {
    super(failure.name() + ": " + detail);
    this.failure = failure;
    this.detail = detail;
  }

  public OverrideFailure failure() {
    return failure;
  }

  /** Why, in words (the message without the code). */
  public String detail() {
    return detail;
  }
}
