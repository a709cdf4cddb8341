package dev.cairn.core.pipeline;

import java.util.List;

/**
 * One environment of the chain and its policy (ARCHITECTURE "Flow"): where it is, which roles Cairn
 * assumes there, and what the pipeline must do before leaving it.
 *
 * @param stackPolicy the default stack policy JSON for stacks that ship none, or null for the
 *     built-in protection of stateful resource types
 * @param postDeployWatchSeconds how long the alarms are watched after the final environment's smoke
 *     tests and bake, before it is marked deployed (seed 004 "Post-deploy in prod: 10-minute
 *     watch"); read only for the final environment
 */
public record EnvironmentPolicy(
    String name,
    String account,
    String region,
    String deployRoleArn,
    String cloudFormationExecutionRoleArn,
    String readOnlyRoleArn,
    boolean driftCheck,
    String testsProject,
    long bakeSeconds,
    List<String> alarmNames,
    int approvalsRequired,
    String stackPolicy,
    long postDeployWatchSeconds) {

  /** A policy without a post-deploy watch. */
  public EnvironmentPolicy(
      String name,
      String account,
      String region,
      String deployRoleArn,
      String cloudFormationExecutionRoleArn,
      String readOnlyRoleArn,
      boolean driftCheck,
      String testsProject,
      long bakeSeconds,
      List<String> alarmNames,
      int approvalsRequired,
      String stackPolicy) {
    this(
        name,
        account,
        region,
        deployRoleArn,
        cloudFormationExecutionRoleArn,
        readOnlyRoleArn,
        driftCheck,
        testsProject,
        bakeSeconds,
        alarmNames,
        approvalsRequired,
        stackPolicy,
        0);
  }

  public EnvironmentPolicy {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("environment name is required ([A-Za-z0-9._-])");
    }
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException("environment " + name + ": account must be 12 digits");
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("environment " + name + ": region is required");
    }
    if (deployRoleArn == null
        || cloudFormationExecutionRoleArn == null
        || readOnlyRoleArn == null) {
      throw new IllegalArgumentException(
          "environment "
              + name
              + ": deploy, CloudFormation execution and read-only role ARNs are required");
    }
    if (bakeSeconds < 0 || approvalsRequired < 0 || postDeployWatchSeconds < 0) {
      throw new IllegalArgumentException(
          "environment "
              + name
              + ": bake seconds, post-deploy watch seconds and approvals must not be negative");
    }
    alarmNames = List.copyOf(alarmNames);
  }
}
