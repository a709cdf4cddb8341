package dev.cairn.core.pipeline;

import dev.cairn.core.failure.EvidenceFailure;

/**
 * A permanent refusal to act on bytes the execution did not verify (or on an artifact stack policy
 * that would widen the environment's). The state machine's {@code States.ALL} Catch of each
 * deploying state records it (audit entry, {@code DeployFailed} event); the message starts with the
 * stable code, so the audit entry carries it.
 */
public final class EvidenceRefused extends PipelineError {
  private static final long serialVersionUID = 1L;

  private final EvidenceFailure failure;

  public EvidenceRefused(EvidenceFailure failure, String detail) {
    super(failure.name() + ": " + detail, null);
    this.failure = failure;
  }

  public EvidenceFailure failure() {
    return failure;
  }
}
