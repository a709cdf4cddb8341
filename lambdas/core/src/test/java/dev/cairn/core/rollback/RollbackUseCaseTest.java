package dev.cairn.core.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.CaughtError;
import dev.cairn.core.pipeline.DeployerCommand;
import dev.cairn.core.pipeline.ExecutionState;
import dev.cairn.core.pipeline.PipelineRequest;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.RolloutUseCase;
import dev.cairn.core.sweep.InMemoryLedger;
import dev.cairn.core.sweep.TestWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end of the rollback loop: {@code rollback_backoff_schedule}, {@code rollback_failure_reason}
 * and one {@code RollbackFailureRate} datum per attempt.
 */
class RollbackUseCaseTest {

  private static final String EXECUTION =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:prod-1";

  private final TestWorld world = new TestWorld();
  private final InMemoryLedger ledger = world.ledger;
  private final TestWorld.Metrics metrics = new TestWorld.Metrics();
  private final List<String> rollbackAttempts = metrics.rollbackAttempts;
  private final PipelineServices services = world.services(metrics);
  private final RollbackUseCase rollbacks =
      new RollbackUseCase(services, new RolloutUseCase(services));

  // --- rollback_backoff_schedule / RollbackFailureRate ----------------------------------------

  @Test
  void recordRollback_exhausted_recordsTheWaitsTakenAndOneFailedDatumPerAttempt() {
    ArtifactKey key = rollbackInitiated();

    rollbacks.record(rollback(key, "rollback_failed", 2, List.of(0L, 60L)));

    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.ROLLBACK_FAILED);
    assertThat(r.rollbackAttempts()).isEqualTo(2);
    assertThat(r.rollbackBackoffSchedule()).containsExactly(0L, 60L);
    assertThat(rollbackAttempts).containsExactly("failed", "failed");
    assertThat(r.rollbackFailureReason())
        .isEqualTo("RollbackDeployFailed: orders-data: Rate exceeded");
  }

  @Test
  void failureReason_unwrapsTheLambdaErrorJsonAndNamesTheError() {
    CaughtError lambdaError =
        new CaughtError(
            "dev.cairn.core.pipeline.ArtifactRejected",
            "{\"errorMessage\":\"SIGNATURE: SIGNATURE_INVALID: release copy\",\"errorType\":\"x\"}");

    assertThat(RollbackUseCase.failureReason(lambdaError))
        .isEqualTo(
            "dev.cairn.core.pipeline.ArtifactRejected: SIGNATURE: SIGNATURE_INVALID: release copy");
    assertThat(RollbackUseCase.failureReason(CaughtError.NONE)).isEqualTo("rollback deploy failed");
  }

  @Test
  void recordRollback_withoutAKnownGoodCommit_saysSo() {
    ArtifactKey key = rollbackInitiated();

    rollbacks.record(rollback(key, "rollback_failed", 0, List.of()));

    assertThat(record(key).rollbackFailureReason()).isEqualTo("no known-good commit");
  }

  @Test
  void recordRollback_succeededAtTheSecondAttempt_emitsOneFailedThenOneSucceeded() {
    ArtifactKey key = rollbackInitiated();

    rollbacks.record(rollback(key, "rollback_succeeded", 2, List.of(0L, 60L)));

    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.ROLLBACK_SUCCEEDED);
    assertThat(r.rollbackBackoffSchedule()).containsExactly(0L, 60L);
    assertThat(rollbackAttempts).containsExactly("failed", "succeeded");
  }

  @Test
  void recordRollback_withoutAKnownGoodCommit_madeNoAttemptAndEmitsNone() {
    ArtifactKey key = rollbackInitiated();

    rollbacks.record(rollback(key, "rollback_failed", 0, List.of()));

    assertThat(record(key).rollbackBackoffSchedule()).isEmpty();
    assertThat(rollbackAttempts).isEmpty();
  }

  @Test
  void recordRollback_whenTheScheduleDoesNotListOneWaitPerAttempt_isRefused() {
    ArtifactKey key = rollbackInitiated();

    assertThatThrownBy(() -> rollbacks.record(rollback(key, "rollback_failed", 2, List.of(60L))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoff_schedule");
  }

  // --- fixtures ---------------------------------------------------------------------------------

  private ArtifactRecord record(ArtifactKey key) {
    return ledger.find(key).orElseThrow();
  }

  /** A promoted artifact whose prod smoke tests failed: status rollback_initiated. */
  private ArtifactKey rollbackInitiated() {
    ArtifactKey key = new ArtifactKey("orders", TestWorld.COMMIT);
    ArtifactRecord candidate =
        dev.cairn.core.ledger.CandidateRecords.candidate(
            key,
            "b".repeat(64),
            "s3://" + TestWorld.CANDIDATE + "/orders/" + TestWorld.COMMIT + "/",
            world.clock.instant(),
            "2.1148.1",
            "c".repeat(64),
            null,
            true,
            null,
            "us-east-1",
            List.of(
                new dev.cairn.core.ledger.CandidateRecords.Environment("stage", "us-east-1"),
                new dev.cairn.core.ledger.CandidateRecords.Environment("prod", "us-east-1")));
    Instant failedAt = world.clock.instant();
    ArtifactRecord.Builder b =
        candidate.toBuilder()
            .status(ArtifactStatus.ROLLBACK_INITIATED)
            .environment(
                "prod",
                candidate
                    .environment("prod")
                    .withStatus(EnvironmentStatus.ROLLBACK_INITIATED)
                    .withTestStatus(TestStatus.TEST_FAILED)
                    .withTestTimes(failedAt, failedAt, 0L));
    ledger.create(candidate, new Actor(ActorRole.CI, "ci"));
    ledger.put(b.version(ledger.find(key).orElseThrow().version()).build());
    world.clock.advance(Duration.ofMinutes(5));
    return key;
  }

  private static DeployerCommand.RecordRollback rollback(
      ArtifactKey key, String outcome, int attempts, List<Long> waits) {
    return new DeployerCommand.RecordRollback(
        new PipelineRequest(key.service(), key.commitSha(), "prod", EXECUTION),
        DeployerCommand.RollbackOutcome.valueOf(outcome),
        attempts,
        waits,
        "1a2b3c4d5e6f1a2b3c4d5e6f1a2b3c4d5e6f1a2b",
        new CaughtError("RollbackDeployFailed", "orders-data: Rate exceeded"),
        outcome.equals("rollback_failed"),
        outcome.equals("rollback_failed"),
        ExecutionState.NONE);
  }
}
