package dev.cairn.local.emulators;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackDriftInformation;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * One stack of the emulator, live or deleted: its status and the running operation (a status
 * sequence with, when timed, the instant each status is reached), the deployed and the attempted
 * template and parameters, the physical IDs of its resources, what its deployed template gives
 * (outputs, imports, pulled images) and, for a nested stack, its parent and root. Mutable; guarded
 * by the emulator's lock.
 */
final class EmulatedStack {
  final String id;
  final String name;
  StackStatus status;
  String statusReason;
  Instant creationTime;
  Instant lastUpdatedTime;
  Instant deletionTime;
  Template deployed;
  Map<String, String> deployedParameters = Map.of();
  Template attempted;
  Map<String, String> parametersAttempted = Map.of();
  List<Tag> tags = List.of();
  List<Capability> capabilities = List.of();
  List<String> notificationArns = List.of();
  boolean terminationProtection;
  String roleArn;
  String changeSetId;
  String policyBody;
  // Physical IDs of the deployed resources, by logical ID: see PhysicalIds.
  final Map<String, String> physicalIds = new LinkedHashMap<>();
  StackDriftStatus driftStatus = StackDriftStatus.NOT_CHECKED;
  Instant lastDriftCheck;
  long operationSequence;
  // Set for a nested stack: its parent's and its root's stack IDs.
  String parentId;
  String rootId;
  // What the deployed template gives, computed when it is deployed: see StackExports.commit.
  List<Output> outputs = List.of();
  Set<String> imports = Set.of();
  Map<String, List<String>> pulledImages = Map.of();

  // The running operation, null when the stack is in a terminal status.
  Deque<StackStatus> progress;
  // When each status in progress is reached; empty: one step per observation.
  Deque<Instant> due = new ArrayDeque<>();
  boolean observed;
  Instant startedAt;
  String failureReason;
  String startReason;
  Runnable onDone;

  EmulatedStack(String id, String name) {
    this.id = id;
    this.name = name;
  }

  void start(
      List<StackStatus> steps,
      List<Duration> offsets,
      String startReason,
      String failureReason,
      Runnable onDone,
      Clock clock) {
    this.progress = new ArrayDeque<>(steps);
    this.due = new ArrayDeque<>();
    Instant now = clock.instant();
    offsets.forEach(o -> due.add(now.plus(o)));
    due.poll();
    this.status = progress.poll();
    this.statusReason = startReason;
    this.startReason = startReason;
    this.failureReason = failureReason;
    this.onDone = onDone;
    this.observed = false;
    this.startedAt = clock.instant();
  }

  void observe(boolean hangs, Instant now) {
    if (progress == null) {
      return;
    }
    if (!due.isEmpty()) {
      while (!hangs && progress != null && !now.isBefore(due.peek())) {
        due.poll();
        advance();
      }
      observed = true;
      return;
    }
    if (observed && !hangs) {
      advance();
    }
    observed = true;
  }

  private void advance() {
    status = progress.poll();
    statusReason = failureReason != null ? failureReason : null;
    if (progress.isEmpty()) {
      progress = null;
      onDone.run();
      onDone = null;
    }
  }

  Stack toStack() {
    Stack.Builder b =
        Stack.builder()
            .stackId(id)
            .stackName(name)
            .changeSetId(changeSetId)
            .creationTime(creationTime)
            .lastUpdatedTime(lastUpdatedTime)
            .deletionTime(deletionTime)
            .stackStatus(status)
            .stackStatusReason(statusReason)
            .parameters(parameterList(deployed != null ? deployedParameters : parametersAttempted))
            .capabilities(capabilities)
            .tags(tags)
            .roleARN(roleArn)
            .notificationARNs(notificationArns)
            .enableTerminationProtection(terminationProtection)
            .driftInformation(
                StackDriftInformation.builder()
                    .stackDriftStatus(driftStatus)
                    .lastCheckTimestamp(lastDriftCheck)
                    .build());
    if (deployed != null && progress == null) {
      b.outputs(outputs);
    }
    return b.parentId(parentId).rootId(rootId).build();
  }

  static List<Parameter> parameterList(Map<String, String> values) {
    List<Parameter> out = new ArrayList<>();
    if (values != null) {
      values.forEach(
          (k, v) -> out.add(Parameter.builder().parameterKey(k).parameterValue(v).build()));
    }
    return out;
  }
}
