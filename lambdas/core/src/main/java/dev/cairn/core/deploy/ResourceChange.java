package dev.cairn.core.deploy;

/**
 * One resource change of a CloudFormation change set, as {@code DescribeChangeSet} reports it.
 *
 * @param action {@code Add}, {@code Modify}, {@code Remove} (also {@code Import}, {@code Dynamic})
 * @param replacement {@code True}, {@code False} or {@code Conditional}; null for Add/Remove
 */
public record ResourceChange(
    String action, String logicalResourceId, String resourceType, String replacement) {

  /** The stack-policy action this change needs, or null when stack policies do not govern it. */
  public String policyAction() {
    return switch (action) {
      case "Remove" -> "Update:Delete";
      case "Modify", "Dynamic" ->
          // Conditional replacement may replace: treat it as a replacement (fail safe).
          "False".equals(replacement) ? "Update:Modify" : "Update:Replace";
      default -> null;
    };
  }
}
