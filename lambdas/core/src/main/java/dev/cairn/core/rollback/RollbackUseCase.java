package dev.cairn.core.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.pipeline.CaughtError;
import dev.cairn.core.pipeline.DeployFailed;
import dev.cairn.core.pipeline.DeployerCommand;
import dev.cairn.core.pipeline.DeployerResult;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.LedgerMoves;
import dev.cairn.core.pipeline.PipelineRequest;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.RolloutUseCase;
import dev.cairn.core.pipeline.StackRollout;
import dev.cairn.core.verify.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The final environment's rollback loop (contract actions {@code rollback_start}, {@code
 * rollback_poll}, {@code record_rollback}): redeploy the last known good commit ({@link
 * LastKnownGood}) from the write-once release bucket after re-verifying it, poll it like a deploy,
 * and record how the loop ended, with its audit entry and metrics. The state machine owns the
 * attempts and their back-off; each action here is one step of one attempt.
 */
public final class RollbackUseCase {

  private final PipelineServices s;
  private final RolloutUseCase rollouts;

  public RollbackUseCase(PipelineServices services, RolloutUseCase rollouts) {
    this.s = services;
    this.rollouts = rollouts;
  }

  /** Re-verifies the known-good release artifact, then starts deploying it. */
  public DeployerResult.RollbackStarted start(DeployerCommand.RollbackStart cmd) {
    PipelineRequest req = cmd.request();
    String target = cmd.lastKnownGoodCommit();
    if (target.equals(req.commitSha())) {
      throw new DeployFailed("refusing to roll back onto the failing commit itself");
    }
    ArtifactRecord targetRecord =
        s.ledger()
            .find(new ArtifactKey(req.service(), target))
            .orElseThrow(
                () -> new DeployFailed("rollback target " + target + " has no ledger record"));
    VerificationReport report =
        rollouts.verifyRelease(req.service(), target, targetRecord.artifactSha256());
    if (!report.accepted()) {
      throw new DeployFailed(
          "rollback target "
              + target
              + " failed verification: "
              + report.firstFailure().gate()
              + " "
              + report.firstFailure().code()
              + ": "
              + report.firstFailure().detail());
    }
    DeploymentId id =
        DeploymentId.rollback(
            s.releaseBucket(), target, req.environment(), req.executionId(), cmd.attempt());
    StackRollout r = rollouts.open(req, id, null);
    r.checkTemplates();
    StackRollout.Step step = r.advance(true);
    if (step.phase() == StackRollout.Phase.FAILED) {
      throw new DeployFailed(step.stack() + ": " + step.reason());
    }
    return new DeployerResult.RollbackStarted(id, rollouts.nextPoll(step));
  }

  /** As {@code poll_stacks}, for the last known good's redeploy: the same schedule. */
  public DeployerResult.StacksPolled poll(DeployerCommand.RollbackPoll cmd) {
    StackRollout.Step step = rollouts.open(cmd.request(), cmd.deploymentId(), null).advance(true);
    DeployerResult.RolloutStatus status =
        switch (step.phase()) {
          case SUCCEEDED -> DeployerResult.RolloutStatus.SUCCEEDED;
          case FAILED -> DeployerResult.RolloutStatus.FAILED;
          default -> DeployerResult.RolloutStatus.IN_PROGRESS;
        };
    return new DeployerResult.StacksPolled(
        status, RolloutUseCase.failureReason(step), rollouts.nextPoll(step));
  }

  /** The rollback loop ended. */
  public DeployerResult.Recorded record(DeployerCommand.RecordRollback cmd) {
    PipelineRequest req = cmd.request();
    String env = req.environment();
    int attempts = cmd.attempts();
    Instant now = s.clock().instant();
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    boolean succeeded = cmd.outcome() == DeployerCommand.RollbackOutcome.rollback_succeeded;
    ArtifactStatus to =
        succeeded ? ArtifactStatus.ROLLBACK_SUCCEEDED : ArtifactStatus.ROLLBACK_FAILED;
    EnvironmentStatus envTo =
        succeeded ? EnvironmentStatus.ROLLBACK_SUCCEEDED : EnvironmentStatus.ROLLBACK_FAILED;
    // The waits that happened, one per attempt, as the state machine's Wait states took them.
    List<Long> schedule = cmd.backoffSchedule();
    // error is the rollback loop's own failure (the last attempt's {Error, Cause}), never the
    // smoke-test failure that started the rollback: operators read this field to repair prod.
    String reason = attempts == 0 ? "no known-good commit" : failureReason(cmd.error());
    Consumer<ArtifactRecord.Builder> attrs =
        b -> {
          b.rollbackAttempts(attempts)
              .rollbackBackoffSchedule(schedule)
              .executionStatus(ExecutionStatus.FAILED)
              .executionCompletedAt(now);
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
            String.valueOf(cmd.lastKnownGoodCommit())));
    EnvironmentState state = record.environment(env);
    if (state.testCompletedAt() != null) {
      s.metrics()
          .rollbackLatency(req.service(), env, Duration.between(state.testCompletedAt(), now));
    }
    // RollbackFailureRate counts attempts: every attempt before the last failed; the last one
    // failed unless the rollback succeeded. No attempt (no known-good commit) emits nothing.
    for (int attempt = 1; attempt <= attempts; attempt++) {
      s.metrics().rollbackAttempt(req.service(), env, succeeded && attempt == attempts);
    }
    return DeployerResult.Recorded.WRITTEN;
  }

  /**
   * {@code "<Error>: <message>"} of a rollback attempt's failure, with the Lambda runtime's error
   * JSON unwrapped to its {@code errorMessage}.
   */
  static String failureReason(CaughtError failure) {
    String error = failure.error();
    String message = failure.cause();
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
}
