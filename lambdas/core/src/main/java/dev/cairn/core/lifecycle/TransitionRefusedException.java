package dev.cairn.core.lifecycle;

/**
 * A lifecycle move was refused. {@link #reason()} says why in a stable, machine-readable way; the
 * message says it for people.
 */
public final class TransitionRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a move was refused. */
  public enum Reason {
    /** The table has no such move for that field. */
    ILLEGAL_TRANSITION,
    /** The move exists, but not for the actor's role. */
    ACTOR_NOT_ALLOWED,
    /** The record no longer holds the expected {@code from} value (someone else moved it). */
    STALE_STATE,
    /** The record has no such environment. */
    UNKNOWN_ENVIRONMENT,
    /** The record does not exist. */
    NOT_FOUND,
    /** A record with that key exists already (publishing the same commit twice). */
    ALREADY_EXISTS
  }

  private final Reason reason;

  public TransitionRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
