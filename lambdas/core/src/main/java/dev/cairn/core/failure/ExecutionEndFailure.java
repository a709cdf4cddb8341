package dev.cairn.core.failure;

/**
 * How an execution ended when none of its own recording steps ran ({@code record_outcome}, {@code
 * record_failure}, {@code record_rollback}): the finalizer's record names it. Stable names: scripts
 * and runbooks match on them. Each is a {@link BlockerClass#DEPLOY} failure: the release stopped
 * inside Cairn's own pipeline, not at a gate that judged the artifact.
 */
public enum ExecutionEndFailure {
  EXECUTION_ABORTED(
      "the execution was stopped (StopExecution: the sweeper's watchdog or an operator) before it"
          + " recorded its outcome"),
  EXECUTION_TIMED_OUT("the execution exceeded its state machine's timeout before it recorded"),
  EXECUTION_FAILED(
      "the execution failed outside its recording steps, or in one of them, before it recorded");

  private final String message;

  ExecutionEndFailure(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }

  /** The code for a Step Functions terminal status, or null for one that records itself. */
  public static ExecutionEndFailure ofStatus(String sfnStatus) {
    return switch (sfnStatus == null ? "" : sfnStatus) {
      case "ABORTED" -> EXECUTION_ABORTED;
      case "TIMED_OUT" -> EXECUTION_TIMED_OUT;
      case "FAILED" -> EXECUTION_FAILED;
      default -> null;
    };
  }

  /** The outcome a release evidence record names for it ({@code execution_aborted}, ...). */
  public String outcome() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
