package dev.cairn.core.context;

/** Blessing refused; {@link #reason()} is stable, the message explains. */
public final class ContextBlessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a context was not blessed. */
  public enum Reason {
    /** Two generations produced different bytes. */
    NON_DETERMINISTIC,
    /** The generated file is not a JSON object. */
    NOT_A_CONTEXT,
    /** The generator did not produce the file. */
    GENERATION_FAILED,
    /** A dated object with this name already exists. */
    ALREADY_BLESSED,
    /** There is no blessed context at the key to revoke. */
    NOT_BLESSED,
    /** The bless is already revoked. */
    ALREADY_REVOKED
  }

  private final Reason reason;

  public ContextBlessException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
