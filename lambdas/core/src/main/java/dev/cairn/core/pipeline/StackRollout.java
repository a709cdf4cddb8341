package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.deploy.CloudFormationTimes;
import dev.cairn.core.deploy.ResourceChange;
import dev.cairn.core.deploy.StackPolicy;
import dev.cairn.core.pipeline.port.StackDeployer;
import dev.cairn.core.pipeline.port.StackDeployer.ChangeSetState;
import dev.cairn.core.pipeline.port.StackDeployer.StackState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Deploys a plan's stacks one at a time, in dependency order, with change sets. Stateless: every
 * call re-reads CloudFormation and takes the next step, so a retried or repeated call is safe and
 * the Lambda keeps nothing between polls.
 *
 * <p>Per stack: check the bootstrap version; delete a stack left in {@code ROLLBACK_COMPLETE} by a
 * failed first create; create the change set; treat CloudFormation's "didn't contain changes" as a
 * no-op; refuse any change the stack policy forbids before executing; set the stack policy;
 * execute; wait for a terminal status; then turn the stack's termination protection on or off as
 * the assembly says ({@code terminationProtection}: CDK's deploy does the same after the change
 * set).
 */
public final class StackRollout {

  /** Where the rollout stands. */
  public enum Phase {
    /** Work is under way; call again. */
    IN_PROGRESS,
    /** The next stack's change set is ready and waits for execution (only when not executing). */
    READY,
    /** Every stack is deployed (or needed no change). */
    SUCCEEDED,
    /** A stack failed; {@link Step#reason()} says which and why. */
    FAILED
  }

  /**
   * One step's result. {@code expected} is how long the CloudFormation operation under way is
   * expected to take ({@link CloudFormationTimes}; zero when unknown) and {@code since} when it
   * started as CloudFormation stamps it (null: it was started by this step), for {@link
   * PollSchedule}.
   */
  public record Step(Phase phase, String stack, String reason, Duration expected, Instant since) {
    public Step(Phase phase, String stack, String reason) {
      this(phase, stack, reason, Duration.ZERO, null);
    }
  }

  private static final List<String> DONE =
      List.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE");

  private final StackDeployer cfn;
  private final List<StackArtifact> plan;
  private final String changeSetName;
  private final Function<StackArtifact, String> clientToken;
  private final String executionRoleArn;
  private final Function<StackArtifact, StackPolicy> stackPolicy;
  private final Map<String, String> tags;
  private final String bootstrapVersionParameter;

  /**
   * The {@code TemplateURL} a stack's change set is created from, asked for just before it is
   * created: the deploy pins it to the template version it checked.
   */
  private final Function<StackArtifact, String> templateUrl;

  /** A stack's template from the verified artifact, for the expected time of its operations. */
  private final Function<StackArtifact, Optional<JsonNode>> template;

  /**
   * @param bootstrapVersionParameter the target's bootstrap version parameter for the configured
   *     qualifier ({@link ControlPlaneConfig#bootstrapVersionParameter}); a stack that names
   *     another one was synthesized for a bootstrap this installation does not use
   */
  public StackRollout(
      StackDeployer cfn,
      List<StackArtifact> plan,
      String changeSetName,
      Function<StackArtifact, String> clientToken,
      String executionRoleArn,
      Function<StackArtifact, StackPolicy> stackPolicy,
      Map<String, String> tags,
      String bootstrapVersionParameter,
      Function<StackArtifact, String> templateUrl) {
    this(
        cfn,
        plan,
        changeSetName,
        clientToken,
        executionRoleArn,
        stackPolicy,
        tags,
        bootstrapVersionParameter,
        templateUrl,
        stack -> Optional.empty());
  }

  /**
   * @param template a stack's template as the verified artifact has it (empty: its operations'
   *     times are not known, and polls start short)
   */
  public StackRollout(
      StackDeployer cfn,
      List<StackArtifact> plan,
      String changeSetName,
      Function<StackArtifact, String> clientToken,
      String executionRoleArn,
      Function<StackArtifact, StackPolicy> stackPolicy,
      Map<String, String> tags,
      String bootstrapVersionParameter,
      Function<StackArtifact, String> templateUrl,
      Function<StackArtifact, Optional<JsonNode>> template) {
    this.bootstrapVersionParameter = bootstrapVersionParameter;
    this.templateUrl = templateUrl;
    this.template = template;
    this.cfn = cfn;
    this.plan = List.copyOf(plan);
    this.changeSetName = changeSetName;
    this.clientToken = clientToken;
    this.executionRoleArn = executionRoleArn;
    this.stackPolicy = stackPolicy;
    this.tags = Map.copyOf(tags);
  }

  /**
   * Asks for every stack's {@code TemplateURL} once, before the first change set: a template that
   * cannot be given (its check refuses it) stops the deploy before anything in the environment
   * changes, not after the stacks ahead of it were deployed.
   */
  public void checkTemplates() {
    plan.forEach(templateUrl::apply);
  }

  public List<String> stackNames() {
    return plan.stream().map(StackArtifact::stackName).toList();
  }

  /**
   * Takes the next step. With {@code execute} false the rollout stops with {@link Phase#READY} when
   * a change set waits for execution (the pipeline's change-set phase); with {@code execute} true
   * it executes and carries on through every stack.
   */
  public Step advance(boolean execute) {
    for (StackArtifact stack : plan) {
      String name = stack.stackName();
      Optional<ChangeSetState> cs = cfn.describeChangeSet(name, changeSetName);
      Optional<StackState> st = cfn.describeStack(name);
      if (cs.isEmpty()) {
        return begin(stack, st);
      }
      ChangeSetState c = cs.get();
      if (c.isEmpty()) {
        // Nothing to change in this stack, but its protection may still differ.
        Optional<Step> protect = protection(stack, st);
        if (protect.isPresent()) {
          return protect.get();
        }
        continue;
      }
      switch (c.status()) {
        case "CREATE_PENDING", "CREATE_IN_PROGRESS" -> {
          return new Step(
              Phase.IN_PROGRESS,
              name,
              "creating change set",
              changeSetTime(stack),
              c.creationTime());
        }
        case "FAILED" -> {
          return new Step(
              Phase.FAILED, name, "change set " + changeSetName + " failed: " + c.statusReason());
        }
        case "DELETE_PENDING", "DELETE_IN_PROGRESS", "DELETE_COMPLETE", "DELETE_FAILED" -> {
          return new Step(
              Phase.FAILED,
              name,
              "change set " + changeSetName + " was deleted (" + c.status() + ")");
        }
        default -> {
          // CREATE_COMPLETE: look at the execution.
        }
      }
      switch (c.executionStatus()) {
        case "AVAILABLE" -> {
          if (!execute) {
            return new Step(Phase.READY, name, "change set ready");
          }
          return executeAfterInspection(stack, c);
        }
        case "EXECUTE_IN_PROGRESS" -> {
          return new Step(
              Phase.IN_PROGRESS,
              name,
              st.map(StackState::status).orElse("EXECUTE_IN_PROGRESS"),
              executionTime(stack, c),
              st.map(StackState::operationTime).orElse(null));
        }
        case "EXECUTE_COMPLETE" -> {
          if (st.isPresent() && DONE.contains(st.get().status())) {
            Optional<Step> protect = protection(stack, st);
            if (protect.isPresent()) {
              return protect.get();
            }
            continue;
          }
          if (st.isPresent() && st.get().inProgress()) {
            return new Step(
                Phase.IN_PROGRESS,
                name,
                st.get().status(),
                executionTime(stack, c),
                st.get().operationTime());
          }
          return new Step(
              Phase.FAILED,
              name,
              "stack is " + st.map(s -> s.status() + ": " + s.statusReason()).orElse("gone"));
        }
        case "EXECUTE_FAILED" -> {
          if (st.isPresent() && st.get().inProgress()) {
            return new Step(
                Phase.IN_PROGRESS,
                name,
                st.get().status(),
                executionTime(stack, c),
                st.get().operationTime());
          }
          return new Step(
              Phase.FAILED,
              name,
              "stack "
                  + name
                  + " failed: "
                  + st.map(s -> s.status() + " " + String.valueOf(s.statusReason()))
                      .orElse("no longer exists"));
        }
        case "OBSOLETE" -> {
          return new Step(
              Phase.FAILED, name, "change set is obsolete: the stack changed after it was created");
        }
        default -> {
          // UNAVAILABLE: CloudFormation is still settling the change set.
          return new Step(Phase.IN_PROGRESS, name, "change set " + c.executionStatus());
        }
      }
    }
    return new Step(Phase.SUCCEEDED, null, "all " + plan.size() + " stack(s) deployed");
  }

  private Step begin(StackArtifact stack, Optional<StackState> st) {
    String name = stack.stackName();
    if (stack.requiresBootstrapStackVersion() > 0
        && stack.bootstrapStackVersionSsmParameter() != null) {
      if (!stack.bootstrapStackVersionSsmParameter().equals(bootstrapVersionParameter)) {
        return new Step(
            Phase.FAILED,
            name,
            "the stack was synthesized for the bootstrap of "
                + stack.bootstrapStackVersionSsmParameter()
                + ", but the targets are bootstrapped with "
                + bootstrapVersionParameter
                + " (config bootstrap_qualifier)");
      }
      OptionalInt version = cfn.bootstrapVersion(bootstrapVersionParameter);
      if (version.isEmpty() || version.getAsInt() < stack.requiresBootstrapStackVersion()) {
        return new Step(
            Phase.FAILED,
            name,
            "the target is not bootstrapped: "
                + stack.bootstrapStackVersionSsmParameter()
                + " is "
                + (version.isEmpty() ? "missing" : version.getAsInt())
                + ", the stack requires "
                + stack.requiresBootstrapStackVersion()
                + " (run cdk bootstrap)");
      }
    }
    if (st.isPresent()) {
      String status = st.get().status();
      if (status.equals("ROLLBACK_COMPLETE")) {
        // A failed first create leaves a stack that can only be deleted (aws/aws-cdk#11995).
        cfn.deleteStack(name, clientToken.apply(stack) + "-del");
        return new Step(Phase.IN_PROGRESS, name, "deleting stack left in ROLLBACK_COMPLETE");
      }
      if (st.get().inProgress()) {
        return new Step(Phase.IN_PROGRESS, name, "waiting for " + status);
      }
      if (status.endsWith("_FAILED")) {
        return new Step(
            Phase.FAILED,
            name,
            "stack is in " + status + "; it needs an operator (" + st.get().statusReason() + ")");
      }
    }
    boolean create =
        st.isEmpty()
            || st.get().status().equals("REVIEW_IN_PROGRESS")
            || st.get().status().equals("DELETE_COMPLETE");
    cfn.createChangeSet(
        new StackDeployer.ChangeSetRequest(
            name,
            changeSetName,
            create,
            templateUrl.apply(stack),
            stack.parameters(),
            tagsFor(stack),
            stack.notificationArns(),
            executionRoleArn,
            clientToken.apply(stack)));
    return new Step(Phase.IN_PROGRESS, name, "change set requested", changeSetTime(stack), null);
  }

  /** The typical time of creating a change set for {@code stack}'s template. */
  private Duration changeSetTime(StackArtifact stack) {
    return template
        .apply(stack)
        .map(t -> CloudFormationTimes.changeSet(t.path("Resources").size()))
        .orElse(Duration.ZERO);
  }

  /** The typical time of executing {@code c} on {@code stack}. */
  private Duration executionTime(StackArtifact stack, ChangeSetState c) {
    return template
        .apply(stack)
        .map(t -> CloudFormationTimes.execution(t, c.changes()))
        .orElse(Duration.ZERO);
  }

  /**
   * Sets the deployed stack's termination protection to the assembly's, when they differ. The next
   * call reads it back, so a repeated call changes nothing.
   */
  private Optional<Step> protection(StackArtifact stack, Optional<StackState> st) {
    if (st.isEmpty() || st.get().terminationProtection() == stack.terminationProtection()) {
      return Optional.empty();
    }
    cfn.updateTerminationProtection(stack.stackName(), stack.terminationProtection());
    return Optional.of(
        new Step(
            Phase.IN_PROGRESS,
            stack.stackName(),
            "termination protection " + (stack.terminationProtection() ? "on" : "off")));
  }

  private Step executeAfterInspection(StackArtifact stack, ChangeSetState c) {
    StackPolicy policy = stackPolicy.apply(stack);
    for (ResourceChange change : c.changes()) {
      Optional<String> why = policy.forbids(change);
      if (why.isPresent()) {
        cfn.deleteChangeSet(stack.stackName(), changeSetName);
        return new Step(Phase.FAILED, stack.stackName(), "refused before execution: " + why.get());
      }
    }
    // Change sets do not carry a stack policy, so it is set before executing.
    cfn.setStackPolicy(stack.stackName(), policy.document());
    cfn.executeChangeSet(stack.stackName(), changeSetName, clientToken.apply(stack) + "-exec");
    return new Step(
        Phase.IN_PROGRESS,
        stack.stackName(),
        "executing " + c.changes().size() + " change(s)",
        executionTime(stack, c),
        null);
  }

  private Map<String, String> tagsFor(StackArtifact stack) {
    java.util.Map<String, String> all = new java.util.TreeMap<>(stack.tags());
    all.putAll(tags);
    return all;
  }
}
