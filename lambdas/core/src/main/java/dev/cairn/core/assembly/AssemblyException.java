package dev.cairn.core.assembly;

/**
 * A cloud assembly Cairn will not deploy: unreadable, from a newer schema than supported, with
 * unresolved context lookups, or with a dependency cycle. Permanent: retrying cannot help.
 */
public final class AssemblyException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the assembly was refused; stable names for logs and the state machine. */
  public enum Reason {
    MANIFEST_UNREADABLE,
    SCHEMA_TOO_NEW,
    UNRESOLVED_CONTEXT_LOOKUPS,
    DEPENDENCY_CYCLE,
    NO_STACKS_FOR_ENVIRONMENT
  }

  private final Reason reason;

  public AssemblyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
