package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.required;
import static dev.cairn.local.emulators.CloudFormationErrors.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.DetectStackDriftRequest;
import software.amazon.awssdk.services.cloudformation.model.DetectStackDriftResponse;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;

/**
 * {@code DetectStackDrift} and {@code DescribeStackDriftDetectionStatus}: a detection finds the
 * resources {@link StackFaults} marks drifted, stays {@code DETECTION_IN_PROGRESS} for its modelled
 * time (or one poll, untimed) and then sets the stack's drift status.
 */
final class StackDriftDetections {

  private final StackRegistry registry;
  private final StackFaults faults;
  private final Clock clock;
  private final Map<String, EmulatedDrift> drifts = new LinkedHashMap<>(); // by detection id
  private Duration driftDetectionTime = Duration.ofSeconds(30);

  StackDriftDetections(StackRegistry registry, StackFaults faults, Clock clock) {
    this.registry = registry;
    this.faults = faults;
    this.clock = clock;
  }

  void detectionTime(Duration time) {
    this.driftDetectionTime = time;
  }

  DetectStackDriftResponse detectStackDrift(DetectStackDriftRequest request) {
    EmulatedStack s = registry.existingStack(request.stackName());
    EmulatedDrift d = new EmulatedDrift(registry.nextUuid(), s);
    d.failureReason = faults.nextDriftDetectionFailure(s.name);
    Set<String> marked = faults.drifted(s.name);
    Set<String> present = new TreeSet<>();
    if (s.deployed != null) {
      s.deployed.resources().forEachRemaining(e -> present.add(e.getKey()));
    }
    present.retainAll(marked);
    d.driftedResources = present.size();
    d.progress =
        new Progress<>(
            List.of(
                StackDriftDetectionStatus.DETECTION_IN_PROGRESS,
                d.failureReason == null
                    ? StackDriftDetectionStatus.DETECTION_COMPLETE
                    : StackDriftDetectionStatus.DETECTION_FAILED),
            List.of());
    d.timestamp = clock.instant();
    drifts.put(d.id, d);
    return DetectStackDriftResponse.builder().stackDriftDetectionId(d.id).build();
  }

  DescribeStackDriftDetectionStatusResponse describeStackDriftDetectionStatus(
      DescribeStackDriftDetectionStatusRequest request) {
    EmulatedDrift d =
        drifts.get(required(request.stackDriftDetectionId(), "stackDriftDetectionId"));
    if (d == null) {
      throw validation(
          "Stack drift detection with id [" + request.stackDriftDetectionId() + "] does not exist");
    }
    // Drift detection takes time in CloudFormation (tens of seconds for a small stack): it stays
    // DETECTION_IN_PROGRESS until driftDetectionTime has passed on the clock.
    // With no duration (a fixed clock in a unit test) each poll advances one step instead.
    StackDriftDetectionStatus status;
    if (driftDetectionTime.isZero()) {
      status = d.progress.observe(clock.instant());
    } else {
      if (!clock.instant().isBefore(d.timestamp.plus(driftDetectionTime))) {
        while (!d.progress.done()) {
          d.progress.observe(clock.instant());
        }
      }
      status = d.progress.current();
    }
    DescribeStackDriftDetectionStatusResponse.Builder b =
        DescribeStackDriftDetectionStatusResponse.builder()
            .stackId(d.stack.id)
            .stackDriftDetectionId(d.id)
            .detectionStatus(status)
            .timestamp(d.timestamp);
    if (status == StackDriftDetectionStatus.DETECTION_COMPLETE) {
      StackDriftStatus drift =
          d.driftedResources > 0 ? StackDriftStatus.DRIFTED : StackDriftStatus.IN_SYNC;
      b.stackDriftStatus(drift).driftedStackResourceCount(d.driftedResources);
      d.stack.driftStatus = drift;
      d.stack.lastDriftCheck = d.timestamp;
    } else if (status == StackDriftDetectionStatus.DETECTION_FAILED) {
      b.stackDriftStatus(StackDriftStatus.NOT_CHECKED)
          .detectionStatusReason(d.failureReason)
          .driftedStackResourceCount(0);
    }
    return b.build();
  }

  private static final class EmulatedDrift {
    final String id;
    final EmulatedStack stack;
    Progress<StackDriftDetectionStatus> progress;
    String failureReason;
    int driftedResources;
    Instant timestamp;

    EmulatedDrift(String id, EmulatedStack stack) {
      this.id = id;
      this.stack = stack;
    }
  }
}
