package dev.cairn.core.finalize;

/** What the target environment's stacks say about one execution's deploy. */
public enum StackTruth {
  /** Every stack of the plan is complete with this execution's change set (or needed none). */
  DEPLOYED,
  /** A stack operation is still running: no conclusion yet. */
  IN_PROGRESS,
  /** A stack is missing, failed, rolled back, or carries another deployment's change set. */
  NOT_DEPLOYED
}
