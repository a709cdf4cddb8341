package dev.cairn.core.pipeline;

/**
 * The environment requires N-of-M signed approvals and fewer count for this execution. The state
 * machine waits for them ({@code WaitForApprovals}) instead of ending, so nothing restarts while an
 * approval is outstanding.
 */
public final class ApprovalsPending extends PipelineError {
  private static final long serialVersionUID = 1L;

  public ApprovalsPending(String message) {
    super(message, null);
  }
}
