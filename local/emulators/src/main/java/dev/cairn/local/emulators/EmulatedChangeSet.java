package dev.cairn.local.emulators;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * One change set of the emulator: what was requested (template, parameters, tags, capabilities,
 * role), its status sequence, the changes computed by {@link ChangeSetDiff} and how its execution
 * went. Mutable; guarded by the emulator's lock.
 */
final class EmulatedChangeSet {
  final String id;
  final String name;
  EmulatedStack stack;
  ChangeSetType type;
  Template template;
  Map<String, String> parameters;
  List<Tag> tags;
  List<Capability> capabilities;
  List<String> notificationArns;
  String roleArn;
  String clientToken;
  String description;
  Instant creationTime;
  Progress<ChangeSetStatus> progress;
  String failureReason;
  List<Change> changes = List.of();
  // A nested stack's modelled time in this execution, by its logical ID: see
  // StackOperationTimeline.forwardChain.
  final Map<String, Duration> nestedTimes = new HashMap<>();
  boolean executed;
  boolean executionFailed;
  boolean obsolete;
  String executeToken;

  EmulatedChangeSet(String id, String name) {
    this.id = id;
    this.name = name;
  }

  ChangeSetStatus status() {
    return progress.current();
  }

  ExecutionStatus executionStatus() {
    if (executed) {
      if (stack.progress != null && stack.changeSetId.equals(id)) {
        return ExecutionStatus.EXECUTE_IN_PROGRESS;
      }
      return executionFailed ? ExecutionStatus.EXECUTE_FAILED : ExecutionStatus.EXECUTE_COMPLETE;
    }
    if (obsolete) {
      return ExecutionStatus.OBSOLETE;
    }
    return status() == ChangeSetStatus.CREATE_COMPLETE
        ? ExecutionStatus.AVAILABLE
        : ExecutionStatus.UNAVAILABLE;
  }
}
