package dev.cairn.core.pipeline;

import dev.cairn.core.assembly.AssemblyException;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.pipeline.port.DriftOverride;
import dev.cairn.core.pipeline.port.StackDeployer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code detect_drift} (spec "Production Deployment": "Runs pre-deploy stack drift detection ...
 * Aborts if drift is found unless override is signed and authorized"). Every deployed stack of the
 * plan is checked; any drift aborts unless a stored, signed break_glass request for this artifact,
 * environment and execution verifies again here and is consumed ({@link DriftOverride}). The
 * record's {@code manual_override_requested} and {@code override_signature} are fields other
 * principals could write: they never authorize anything.
 */
public final class DriftUseCase {

  static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

  /**
   * At most 4 minutes of waiting in one invocation, for all its stacks together: the deployer's
   * Lambda timeout is 300 s (CairnFunction.DEPLOYER), and detections still running then are a
   * TransientError the state machine retries. It was 120 polls (10 minutes) per stack: a slow
   * detection ran the function past its timeout, which the sandbox now enforces.
   */
  static final Duration MAX_WAIT = Duration.ofMinutes(4);

  private final PipelineServices s;
  private final DriftOverride override;

  public DriftUseCase(PipelineServices services, DriftOverride override) {
    this.s = services;
    this.override = override;
  }

  public DeployerResult.DriftChecked detect(DeployerCommand.DetectDrift cmd) {
    PipelineRequest req = cmd.request();
    EnvironmentPolicy env = s.chain().get(req.environment());
    String bucket =
        s.chain().first().name().equals(env.name()) ? s.candidateBucket() : s.releaseBucket();
    List<StackArtifact> plan;
    try {
      plan =
          CloudAssembly.read(s.store().source(bucket, req.service(), req.commitSha()))
              .planFor(env.account(), env.region());
    } catch (AssemblyException e) {
      throw new DeployFailed("cloud assembly refused (" + e.reason() + "): " + e.getMessage());
    } catch (IOException e) {
      throw new TransientError("could not read the cloud assembly: " + e.getMessage(), e);
    }
    StackDeployer cfn =
        s.deployers()
            .forEnvironment(env, "cairn-drift-" + DeploymentId.executionLabel(req.executionId()));
    List<String> checked = new ArrayList<>();
    List<String> drifted = new ArrayList<>();
    java.time.Instant deadline = s.clock().instant().plus(MAX_WAIT);
    for (StackArtifact stack : plan) {
      Optional<StackDeployer.StackState> st = cfn.describeStack(stack.stackName());
      if (st.isEmpty() || st.get().status().equals("REVIEW_IN_PROGRESS")) {
        continue; // Nothing deployed yet, so nothing can have drifted.
      }
      StackDeployer.DriftState result =
          await(cfn, cfn.detectDrift(stack.stackName()), stack.stackName(), deadline);
      checked.add(stack.stackName());
      if ("DRIFTED".equals(result.stackDriftStatus())) {
        drifted.add(stack.stackName() + " (" + result.driftedResources() + " resource(s))");
      }
    }
    if (drifted.isEmpty()) {
      return new DeployerResult.DriftChecked(checked, null);
    }
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    String drift = String.join(", ", drifted);
    Optional<String> overrideId =
        override.authorize(
            req.key(),
            env.name(),
            req.executionId(),
            Boolean.TRUE.equals(record.manualOverrideRequested()),
            drift);
    if (overrideId.isPresent()) {
      return new DeployerResult.DriftChecked(checked, overrideId.get());
    }
    throw new DriftDetected(
        "drift in "
            + env.name()
            + ": "
            + drift
            + "; a signed break_glass override is required to deploy over it");
  }

  private StackDeployer.DriftState await(
      StackDeployer cfn, String detectionId, String stack, java.time.Instant deadline) {
    while (true) {
      StackDeployer.DriftState d = cfn.driftStatus(detectionId);
      switch (d.detectionStatus()) {
        case "DETECTION_COMPLETE" -> {
          return d;
        }
        case "DETECTION_FAILED" ->
            throw new DeployFailed("drift detection failed for " + stack + ": " + d.reason());
        default -> {
          if (!s.clock().instant().plus(POLL_INTERVAL).isBefore(deadline)) {
            throw new TransientError(
                "drift detection for "
                    + stack
                    + " still running after "
                    + MAX_WAIT.toMinutes()
                    + " minutes of this invocation; the state machine retries");
          }
          try {
            s.sleeper().sleep(POLL_INTERVAL);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientError("interrupted while waiting for drift detection", e);
          }
        }
      }
    }
  }
}
