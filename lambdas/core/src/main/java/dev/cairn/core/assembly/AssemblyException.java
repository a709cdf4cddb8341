package dev.cairn.core.assembly;

/**
 * A cloud assembly Cairn will not deploy: unreadable, from a newer schema than supported, with
 * unresolved context lookups, with a dependency cycle, or with a template that is not a published
 * asset. Permanent: retrying cannot help.
 */
public final class AssemblyException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the assembly was refused; stable names for logs and the state machine. */
  public enum Reason {
    MANIFEST_UNREADABLE,
    SCHEMA_TOO_NEW,
    UNRESOLVED_CONTEXT_LOOKUPS,
    DEPENDENCY_CYCLE,
    /**
     * A stack's template is not a published asset in its target account: no {@code
     * stackTemplateAssetObjectUrl} (a legacy-synthesized assembly), or one that no asset manifest
     * names as the destination of the stack's template file.
     */
    TEMPLATE_NOT_AN_ASSET,
    NO_STACKS_FOR_ENVIRONMENT,
    /**
     * A stack's {@code notificationArns} names a topic outside the stack's own account and region:
     * CloudFormation would publish every stack event there, to whoever owns it.
     */
    NOTIFICATION_TOPIC_OUTSIDE_TARGET
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
