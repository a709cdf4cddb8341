package dev.cairn.core.override;

import dev.cairn.core.failure.OverrideFailure;

/** An override request refused for a stated, stable reason. */
public final class OverrideRefusedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final OverrideFailure failure;

  public OverrideRefusedException(OverrideFailure failure, String detail) {
    super(failure.name() + ": " + detail);
    this.failure = failure;
  }

  public OverrideFailure failure() {
    return failure;
  }
}
