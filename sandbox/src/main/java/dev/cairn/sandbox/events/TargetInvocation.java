package dev.cairn.sandbox.events;

import java.util.Objects;

/**
 * One delivery EventBridge would make: which rule and target, and the exact text the target
 * receives.
 *
 * @param ruleLogicalId the rule's CloudFormation logical id
 * @param targetId the target's {@code Id}
 * @param targetArn the target's {@code Arn}
 * @param roleArn the target's {@code RoleArn}, or null when it has none
 * @param input the exact text the target receives
 */
public record TargetInvocation(
    String ruleLogicalId, String targetId, String targetArn, String roleArn, String input) {

  public TargetInvocation {
    Objects.requireNonNull(ruleLogicalId, "ruleLogicalId");
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(targetArn, "targetArn");
    Objects.requireNonNull(input, "input");
  }
}
