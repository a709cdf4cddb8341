package dev.cairn.local.emulators;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The faults injected into the CloudFormation emulator, per stack name: executions, change sets,
 * deletions and drift detections that fail with a given reason, resources that drift, and stacks
 * whose operations hang. Not thread-safe: the emulator calls it under its own lock.
 */
final class StackFaults {

  private final Map<String, Deque<String>> executions = new HashMap<>();
  private final Map<String, Deque<String>> deletions = new HashMap<>();
  private final Map<String, Deque<String>> changeSets = new HashMap<>();
  private final Map<String, Deque<String>> driftDetections = new HashMap<>();
  private final Map<String, Set<String>> drifted = new HashMap<>();
  private final Set<String> hanging = new HashSet<>();

  void failNextExecutions(String stackName, int times, String reason) {
    enqueue(executions, stackName, times, reason);
  }

  void failNextChangeSets(String stackName, int times, String reason) {
    enqueue(changeSets, stackName, times, reason);
  }

  void failNextDeletion(String stackName, String reason) {
    enqueue(deletions, stackName, 1, reason);
  }

  void failNextDriftDetection(String stackName, String reason) {
    enqueue(driftDetections, stackName, 1, reason);
  }

  /** The reason the next execution on {@code stackName} fails with, consumed; null: none. */
  String nextExecutionFailure(String stackName) {
    return poll(executions, stackName);
  }

  /** The reason the next change set of {@code stackName} fails with, consumed; null: none. */
  String nextChangeSetFailure(String stackName) {
    return poll(changeSets, stackName);
  }

  /** The reason the next deletion of {@code stackName} fails with, consumed; null: none. */
  String nextDeletionFailure(String stackName) {
    return poll(deletions, stackName);
  }

  /** The reason the next drift detection on {@code stackName} fails with, consumed; null: none. */
  String nextDriftDetectionFailure(String stackName) {
    return poll(driftDetections, stackName);
  }

  void markDrifted(String stackName, String... logicalIds) {
    drifted.put(stackName, new TreeSet<>(List.of(logicalIds)));
  }

  void clearDrift(String stackName) {
    drifted.remove(stackName);
  }

  /** The logical IDs marked drifted in {@code stackName} (empty if none). */
  Set<String> drifted(String stackName) {
    return drifted.getOrDefault(stackName, Set.of());
  }

  void hang(String stackName) {
    hanging.add(stackName);
  }

  void release(String stackName) {
    hanging.remove(stackName);
  }

  boolean hanging(String stackName) {
    return hanging.contains(stackName);
  }

  private static void enqueue(
      Map<String, Deque<String>> map, String stack, int times, String reason) {
    Deque<String> q = map.computeIfAbsent(stack, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(reason);
    }
  }

  private static String poll(Map<String, Deque<String>> map, String stack) {
    Deque<String> failures = map.get(stack);
    return failures == null ? null : failures.poll();
  }
}
