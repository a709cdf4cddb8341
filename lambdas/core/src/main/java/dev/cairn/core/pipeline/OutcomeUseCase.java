package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.HealthStatus;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ledger writes at the end of each path of the state machine (contract: {@code mark_deployed},
 * {@code record_outcome}, {@code record_failure}; {@code record_rollback} is the rollback
 * package's). Every one is a conditional transition with its audit entry, and repeating one is
 * harmless.
 */
public final class OutcomeUseCase {

  private final PipelineServices s;

  public OutcomeUseCase(PipelineServices services) {
    this.s = services;
  }

  /** Final environment deployed and smoke-tested. */
  public DeployerResult.MarkedDeployed markDeployed(DeployerCommand.MarkDeployed cmd) {
    PipelineRequest req = cmd.request();
    String env = req.environment();
    Instant now = s.clock().instant();
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    EnvironmentState state = record.environment(env);
    long testSeconds =
        state.testStartedAt() == null
            ? 0
            : Math.max(0, Duration.between(state.testStartedAt(), now).toSeconds());
    LedgerMoves.move(
        s.ledger(),
        req,
        "ArtifactDeployed",
        List.of(StateChange.test(env, TestStatus.TEST_RUNNING, TestStatus.TEST_PASSED)),
        LedgerMoves.env(
                env, e -> LedgerMoves.times(e, null, null, null, now, null, null, testSeconds))
            .andThen(b -> b.globalHealthStatus(HealthStatus.HEALTHY)),
        Map.of());
    s.metrics().testResult(req.service(), env, true);
    return new DeployerResult.MarkedDeployed();
  }

  /** The execution ended on its success path. */
  public DeployerResult.Recorded recordOutcome(DeployerCommand.RecordOutcome cmd) {
    PipelineRequest req = cmd.request();
    Instant now = s.clock().instant();
    annotate(
        req,
        "ExecutionSucceeded",
        b -> b.executionStatus(ExecutionStatus.SUCCEEDED).executionCompletedAt(now),
        Map.of("outcome", cmd.outcome().name()));
    return DeployerResult.Recorded.WRITTEN;
  }

  /** A phase failed; what is recorded depends on the outcome (docs/pipeline-contract.md). */
  public DeployerResult.Recorded recordFailure(DeployerCommand.RecordFailure cmd) {
    PipelineRequest req = cmd.request();
    String env = req.environment();
    String errorName = cmd.error().error();
    String cause = cmd.error().cause();
    if (errorName.equals(ArtifactNotRegistered.class.getName())
        && s.ledger().find(req.key()).isEmpty()) {
      // Nobody registered this upload, even after the state machine waited for CI's record: no
      // record to move, but the refusal goes on the chain.
      Map<String, String> details = new LinkedHashMap<>();
      details.put("environment", env);
      details.put("phase", cmd.phase().name());
      details.put("error", errorName);
      details.put("code", "ARTIFACT_DIGEST_UNEXPECTED");
      details.put("cause", cause.length() > 1000 ? cause.substring(0, 1000) : cause);
      s.ledger().auditUnrecorded(req.key(), req.actor(), "InvalidArtifact", details);
      return DeployerResult.Recorded.AUDIT_ONLY;
    }
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    EnvironmentState state = record.environment(env);
    Instant now = s.clock().instant();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("phase", cmd.phase().name());
    details.put("error", errorName);
    details.put("cause", cause.length() > 1000 ? cause.substring(0, 1000) : cause);
    Consumer<ArtifactRecord.Builder> failed =
        b -> b.executionStatus(ExecutionStatus.FAILED).executionCompletedAt(now);
    List<StateChange> changes = new ArrayList<>();
    String action;
    switch (cmd.outcome()) {
      case invalid_artifact -> {
        action = "InvalidArtifact";
        if (errorName.equals(ArtifactRejected.class.getName())) {
          // The verifier rejected the artifact: integrity_verified is false, and when gate 8
          // (ASSET_INTEGRITY) is the gate that failed, asset_verification_passed is false too.
          // A gate before 8 leaves asset_verification_passed unset: the assets were not checked.
          boolean assetGateFailed = rejectedAt(cause) == Gate.ASSET_INTEGRITY;
          failed =
              failed.andThen(
                  b -> {
                    b.integrityVerified(false);
                    if (assetGateFailed) {
                      b.assetVerificationPassed(false);
                    }
                  });
          if (record.status() == ArtifactStatus.CANDIDATE
              || record.status() == ArtifactStatus.PROMOTED) {
            changes.add(
                new StateChange(
                    dev.cairn.core.lifecycle.StateField.STATUS,
                    null,
                    record.status().value(),
                    ArtifactStatus.REJECTED.value()));
          }
        } else if (state.status() == EnvironmentStatus.PENDING) {
          changes.add(
              StateChange.environment(env, EnvironmentStatus.PENDING, EnvironmentStatus.FAILED));
        }
      }
      case drift_detected -> {
        action = "DriftDetected";
        failed = failed.andThen(b -> b.stackDriftDetected(true));
        changes.add(
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
      }
      case deploy_failed -> {
        action = "DeployFailed";
        changes.add(
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
      }
      case test_failed -> {
        action = "TestsFailed";
        boolean last = s.chain().isFinal(env);
        if (state.testStatus() == TestStatus.TEST_RUNNING
            || state.testStatus() == TestStatus.TEST_FAILED) {
          changes.add(StateChange.test(env, TestStatus.TEST_RUNNING, TestStatus.TEST_FAILED));
        }
        if (last) {
          changes.add(
              StateChange.status(ArtifactStatus.PROMOTED, ArtifactStatus.ROLLBACK_INITIATED));
          changes.add(
              StateChange.environment(
                  env, EnvironmentStatus.DEPLOYED, EnvironmentStatus.ROLLBACK_INITIATED));
          failed = failed.andThen(b -> b.globalHealthStatus(HealthStatus.DEGRADED));
        } else if (record.status() != ArtifactStatus.REJECTED) {
          changes.add(
              new StateChange(
                  dev.cairn.core.lifecycle.StateField.STATUS,
                  null,
                  record.status().value(),
                  ArtifactStatus.REJECTED.value()));
        }
        s.metrics().testResult(req.service(), env, false);
        Instant testFailedAt = now;
        failed =
            failed.andThen(
                LedgerMoves.env(
                    env,
                    e -> LedgerMoves.times(e, null, null, null, testFailedAt, null, null, null)));
      }
      case pipeline_error -> {
        action = "PipelineFailed";
        if (state.status() == EnvironmentStatus.DEPLOYING) {
          changes.add(
              StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
        }
      }
      default -> throw new IllegalStateException("unhandled outcome " + cmd.outcome());
    }
    if (changes.isEmpty()) {
      annotate(req, action, failed, details);
    } else {
      LedgerMoves.move(s.ledger(), req, action, changes, failed, details);
    }
    return DeployerResult.Recorded.WRITTEN;
  }

  /**
   * The gate an {@link ArtifactRejected} names: its message is {@code "<GATE>: <CODE>: <detail>"},
   * and the Lambda runtime may wrap it in its error JSON ({@code errorMessage}).
   */
  static Gate rejectedAt(String cause) {
    String message = cause;
    try {
      JsonNode json = Json.mapper().readTree(cause);
      if (json != null && json.hasNonNull("errorMessage")) {
        message = json.get("errorMessage").asText();
      }
    } catch (java.io.IOException notJson) {
      // A plain message.
    }
    int colon = message.indexOf(':');
    if (colon > 0) {
      String name = message.substring(0, colon).trim();
      for (Gate g : Gate.values()) {
        if (g.name().equals(name)) {
          return g;
        }
      }
    }
    return null;
  }

  private void annotate(
      PipelineRequest req,
      String action,
      Consumer<ArtifactRecord.Builder> attrs,
      Map<String, String> details) {
    s.ledger().annotate(req.key(), req.actor(), action, attrs, details);
  }
}
