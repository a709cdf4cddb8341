package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.HealthStatus;
import dev.cairn.core.ledger.TransitionPlanner;
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
 * {@code record_outcome}, {@code record_failure}, {@code record_rollback}). Every one is a
 * conditional transition with its audit entry, and repeating one is harmless.
 */
public final class OutcomeUseCase {

  /** {@code record_failure}'s {@code recorded} when there was no record to move. */
  public static final String AUDIT_ONLY = "audit_only";

  private final PipelineServices s;

  public OutcomeUseCase(PipelineServices services) {
    this.s = services;
  }

  /** Final environment deployed and smoke-tested. */
  public ObjectNode markDeployed(PipelineRequest req) {
    String env = req.environment();
    Instant now = s.clock().instant();
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    EnvironmentState state = record.environment(env);
    long testSeconds =
        state.testStartedAt() == null
            ? 0
            : Math.max(0, Duration.between(Instant.parse(state.testStartedAt()), now).toSeconds());
    LedgerMoves.move(
        s.ledger(),
        req,
        "ArtifactDeployed",
        List.of(StateChange.test(env, TestStatus.TEST_RUNNING, TestStatus.TEST_PASSED)),
        LedgerMoves.env(
                env,
                e ->
                    LedgerMoves.times(
                        e, null, null, null, TransitionPlanner.iso(now), null, null, testSeconds))
            .andThen(b -> b.globalHealthStatus(HealthStatus.HEALTHY)),
        Map.of());
    s.metrics().testResult(req.service(), env, true);
    ObjectNode out = Json.object();
    out.put("global_health_status", "healthy");
    return out;
  }

  /** The execution ended on its success path. */
  public ObjectNode recordOutcome(PipelineRequest req) {
    Instant now = s.clock().instant();
    annotate(
        req,
        "ExecutionSucceeded",
        b ->
            b.executionStatus(ExecutionStatus.SUCCEEDED)
                .executionCompletedAt(TransitionPlanner.iso(now)),
        Map.of("outcome", String.valueOf(req.text("outcome"))));
    return Json.object();
  }

  /** A phase failed; what is recorded depends on the outcome (docs/pipeline-contract.md). */
  public ObjectNode recordFailure(PipelineRequest req) {
    String env = req.environment();
    String outcome = req.required("outcome");
    JsonNode error = req.node("error");
    String errorName = error.path("Error").asText("");
    String cause = error.path("Cause").asText("");
    if (errorName.equals(ArtifactNotRegistered.class.getName())
        && s.ledger().find(req.key()).isEmpty()) {
      // Nobody registered this upload, even after the state machine waited for CI's record: no
      // record to move, but the refusal goes on the chain.
      Map<String, String> details = new LinkedHashMap<>();
      details.put("environment", env);
      details.put("phase", String.valueOf(req.text("phase")));
      details.put("error", errorName);
      details.put("code", "ARTIFACT_DIGEST_UNEXPECTED");
      details.put("cause", cause.length() > 1000 ? cause.substring(0, 1000) : cause);
      s.ledger().auditUnrecorded(req.key(), req.actor(), "InvalidArtifact", details);
      ObjectNode out = Json.object();
      out.put("recorded", AUDIT_ONLY);
      return out;
    }
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    EnvironmentState state = record.environment(env);
    Instant now = s.clock().instant();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("phase", String.valueOf(req.text("phase")));
    details.put("error", errorName);
    details.put("cause", cause.length() > 1000 ? cause.substring(0, 1000) : cause);
    Consumer<ArtifactRecord.Builder> failed =
        b ->
            b.executionStatus(ExecutionStatus.FAILED)
                .executionCompletedAt(TransitionPlanner.iso(now));
    List<StateChange> changes = new ArrayList<>();
    String action;
    switch (outcome) {
      case "invalid_artifact" -> {
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
      case "drift_detected" -> {
        action = "DriftDetected";
        failed = failed.andThen(b -> b.stackDriftDetected(true));
        changes.add(
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
      }
      case "deploy_failed" -> {
        action = "DeployFailed";
        changes.add(
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
      }
      case "test_failed" -> {
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
        String testFailedAt = TransitionPlanner.iso(now);
        failed =
            failed.andThen(
                LedgerMoves.env(
                    env,
                    e -> LedgerMoves.times(e, null, null, null, testFailedAt, null, null, null)));
      }
      case "pipeline_error" -> {
        action = "PipelineFailed";
        if (state.status() == EnvironmentStatus.DEPLOYING) {
          changes.add(
              StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
        }
      }
      default -> throw new IllegalArgumentException("unknown outcome \"" + outcome + "\"");
    }
    if (changes.isEmpty()) {
      annotate(req, action, failed, details);
    } else {
      LedgerMoves.move(s.ledger(), req, action, changes, failed, details);
    }
    return Json.object();
  }

  /** The rollback loop ended. */
  public ObjectNode recordRollback(PipelineRequest req) {
    String env = req.environment();
    String outcome = req.required("outcome");
    int attempts = req.node("attempts").asInt(0);
    Instant now = s.clock().instant();
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    boolean succeeded = outcome.equals("rollback_succeeded");
    if (!succeeded && !outcome.equals("rollback_failed")) {
      throw new IllegalArgumentException("unknown rollback outcome \"" + outcome + "\"");
    }
    ArtifactStatus to =
        succeeded ? ArtifactStatus.ROLLBACK_SUCCEEDED : ArtifactStatus.ROLLBACK_FAILED;
    EnvironmentStatus envTo =
        succeeded ? EnvironmentStatus.ROLLBACK_SUCCEEDED : EnvironmentStatus.ROLLBACK_FAILED;
    // The waits that happened, one per attempt, as the state machine's Wait states took them.
    List<Long> schedule = new ArrayList<>();
    JsonNode waits = req.node("backoff_schedule");
    if (!waits.isArray() || waits.size() != attempts) {
      throw new IllegalArgumentException(
          "backoff_schedule must list one wait per attempt (" + attempts + "): " + waits);
    }
    waits.forEach(w -> schedule.add(w.asLong()));
    // error is the rollback loop's own failure (the last attempt's {Error, Cause}), never the
    // smoke-test failure that started the rollback: operators read this field to repair prod.
    String reason = attempts == 0 ? "no known-good commit" : rollbackFailure(req.node("error"));
    Consumer<ArtifactRecord.Builder> attrs =
        b -> {
          b.rollbackAttempts(attempts)
              .rollbackBackoffSchedule(schedule)
              .executionStatus(ExecutionStatus.FAILED)
              .executionCompletedAt(TransitionPlanner.iso(now));
          if (!succeeded) {
            b.rollbackAttemptsExhausted(true)
                .manualInterventionRequired(true)
                .rollbackFailureReason(reason.length() > 1000 ? reason.substring(0, 1000) : reason);
          }
        };
    LedgerMoves.move(
        s.ledger(),
        req,
        succeeded ? "RollbackSucceeded" : "RollbackFailed",
        List.of(
            StateChange.status(ArtifactStatus.ROLLBACK_INITIATED, to),
            StateChange.environment(env, EnvironmentStatus.ROLLBACK_INITIATED, envTo)),
        attrs,
        Map.of(
            "attempts",
            Integer.toString(attempts),
            "last_known_good_commit",
            String.valueOf(req.text("last_known_good_commit"))));
    EnvironmentState state = record.environment(env);
    if (state.testCompletedAt() != null) {
      s.metrics()
          .rollbackLatency(
              req.service(), env, Duration.between(Instant.parse(state.testCompletedAt()), now));
    }
    // RollbackFailureRate counts attempts: every attempt before the last failed; the last one
    // failed unless the rollback succeeded. No attempt (no known-good commit) emits nothing.
    for (int attempt = 1; attempt <= attempts; attempt++) {
      s.metrics().rollbackAttempt(req.service(), env, succeeded && attempt == attempts);
    }
    return Json.object();
  }

  /**
   * {@code "<Error>: <message>"} of a rollback attempt's failure, with the Lambda runtime's error
   * JSON unwrapped to its {@code errorMessage}.
   */
  static String rollbackFailure(JsonNode failure) {
    String error = failure.path("Error").asText("");
    String message = failure.path("Cause").asText("");
    try {
      JsonNode json = Json.mapper().readTree(message);
      if (json != null && json.hasNonNull("errorMessage")) {
        message = json.get("errorMessage").asText();
      }
    } catch (java.io.IOException notJson) {
      // A plain message.
    }
    if (error.isEmpty()) {
      return message.isEmpty() ? "rollback deploy failed" : message;
    }
    return message.isEmpty() ? error : error + ": " + message;
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
