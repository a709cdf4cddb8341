package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.IntrinsicResolver.resourceMap;
import static dev.cairn.local.emulators.ResourceGraph.type;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.deploy.CloudFormationTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeAction;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;

/**
 * When each status of an operation is reached, as {@link StackOperationTimes} models it on the
 * injected clock, and the record of every timed operation ({@link
 * CloudFormationEmulator#operations}). Untimed ({@link StackOperationTimes#stepPerDescribe()}),
 * operations carry no instants and advance one step per Describe call.
 */
final class StackOperationTimeline {

  private final Clock clock;
  private StackOperationTimes times = StackOperationTimes.stepPerDescribe();
  private final List<CloudFormationEmulator.Operation> operations = new ArrayList<>();

  StackOperationTimeline(Clock clock) {
    this.clock = clock;
  }

  void times(StackOperationTimes times) {
    this.times = Objects.requireNonNull(times, "times");
  }

  boolean timed() {
    return times.timed();
  }

  List<CloudFormationEmulator.Operation> operations() {
    return List.copyOf(operations);
  }

  /**
   * A new change set's status sequence: timed, each status at its modelled instant (the operation
   * recorded); untimed, one step per observation.
   */
  Progress<ChangeSetStatus> changeSetProgress(
      String stackName, Template template, List<ChangeSetStatus> steps) {
    if (!times.timed()) {
      return new Progress<>(steps, List.of());
    }
    Instant start = clock.instant();
    Duration took =
        StackOperationTimes.changeSet(
            stackName, template.body(), template.root().path("Resources").size());
    operations.add(
        new CloudFormationEmulator.Operation(
            stackName, "CreateChangeSet", start, start.plus(took)));
    return new Progress<>(
        steps, List.of(start, start.plus(StackOperationTimes.FIRST_STEP), start.plus(took)));
  }

  /**
   * When each status of an execution is reached, from its start ({@link StackOperationTimes}):
   * forward through the longest chain of touched resources, then the cleanup of replaced and
   * removed resources (in parallel). A failure is modelled halfway through, then the rollback
   * undoes what was done. Empty when operations are not timed. Records the operation.
   */
  List<Duration> executionOffsets(
      EmulatedStack stack, EmulatedChangeSet cs, boolean create, boolean failed) {
    if (!times.timed()) {
      return List.of();
    }
    Duration chain = forwardChain(stack, cs);
    List<Duration> cleanup = new ArrayList<>();
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      boolean removes =
          rc.action() == ChangeAction.REMOVE
              || (rc.action() == ChangeAction.MODIFY && rc.replacement() == Replacement.TRUE);
      if (removes) {
        cleanup.add(
            StackOperationTimes.resource(
                stack.name,
                rc.logicalResourceId(),
                rc.resourceType(),
                CloudFormationTimes.Action.DELETE,
                cs.template.body()));
      }
    }
    Duration clean = StackOperationTimes.parallel(cleanup);
    List<Duration> offsets;
    if (!failed) {
      offsets =
          create ? List.of(Duration.ZERO, chain) : List.of(Duration.ZERO, chain, chain.plus(clean));
    } else {
      Duration half = chain.dividedBy(2);
      offsets =
          create
              ? List.of(Duration.ZERO, half, chain)
              : List.of(Duration.ZERO, half, chain, chain.plus(StackOperationTimes.MIN_CLEANUP));
    }
    Instant now = clock.instant();
    operations.add(
        new CloudFormationEmulator.Operation(
            stack.name, "ExecuteChangeSet", now, now.plus(offsets.get(offsets.size() - 1))));
    return offsets;
  }

  /** The longest chain of the resources {@code cs} adds or modifies, at least one second. */
  Duration forwardChain(EmulatedStack stack, EmulatedChangeSet cs) {
    Map<String, Duration> forward = new HashMap<>();
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      String id = rc.logicalResourceId();
      CloudFormationTimes.Action action;
      if (rc.action() == ChangeAction.ADD
          || (rc.action() == ChangeAction.MODIFY && rc.replacement() == Replacement.TRUE)) {
        action = CloudFormationTimes.Action.CREATE;
      } else if (rc.action() == ChangeAction.MODIFY) {
        action = CloudFormationTimes.Action.UPDATE;
      } else {
        continue;
      }
      Duration nested = cs.nestedTimes.get(id);
      forward.put(
          id,
          nested != null
              ? nested
              : StackOperationTimes.resource(
                  stack.name, id, rc.resourceType(), action, cs.template.body()));
    }
    Duration chain =
        StackOperationTimes.longestChain(resourceMap(cs.template, cs.parameters), forward);
    return chain.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : chain;
  }

  /** A deletion's times: the longest chain of deletions (in reverse dependency order). */
  List<Duration> deletionOffsets(EmulatedStack stack) {
    if (!times.timed()) {
      return List.of();
    }
    Map<String, JsonNode> deployed = resourceMap(stack.deployed, stack.deployedParameters);
    Map<String, Duration> delete = new HashMap<>();
    String body = stack.deployed != null ? stack.deployed.body() : "";
    deployed.forEach(
        (id, node) ->
            delete.put(
                id,
                StackOperationTimes.resource(
                    stack.name, id, type(node), CloudFormationTimes.Action.DELETE, body)));
    Duration chain = StackOperationTimes.longestChain(deployed, delete);
    if (chain.compareTo(Duration.ofSeconds(1)) < 0) {
      chain = Duration.ofSeconds(1);
    }
    Instant now = clock.instant();
    operations.add(
        new CloudFormationEmulator.Operation(stack.name, "DeleteStack", now, now.plus(chain)));
    return List.of(Duration.ZERO, chain);
  }
}
