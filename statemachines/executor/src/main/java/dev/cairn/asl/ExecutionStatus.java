package dev.cairn.asl;

/** Terminal execution status, as Step Functions reports it. */
public enum ExecutionStatus {
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  ABORTED
}
