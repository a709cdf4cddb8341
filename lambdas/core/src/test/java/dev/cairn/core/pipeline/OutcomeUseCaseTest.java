package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.sweep.InMemoryLedger;
import dev.cairn.core.sweep.TestWorld;
import dev.cairn.core.verify.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger attributes and metrics the end-of-path writes set: {@code integrity_verified} and
 * {@code asset_verification_passed} on a rejection, {@code rollback_backoff_schedule} and {@code
 * RollbackFailureRate} at the end of the rollback loop.
 */
class OutcomeUseCaseTest {

  private static final String EXECUTION =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:prod-1";

  private final TestWorld world = new TestWorld();
  private final InMemoryLedger ledger = world.ledger;
  private final List<String> rollbackAttempts = new ArrayList<>();
  private final OutcomeUseCase outcomes = new OutcomeUseCase(services());

  // --- integrity_verified / asset_verification_passed ----------------------------------------

  @Test
  void candidate_isNotYetIntegrityVerified() {
    ArtifactKey key = world.publish();

    assertThat(record(key).integrityVerified()).isNull();
    assertThat(record(key).assetVerificationPassed()).isNull();
  }

  @Test
  void recordFailure_whenTheVerifierRejectsAtAssetIntegrity_setsBothFalse() {
    ArtifactKey key = world.publish();

    outcomes.recordFailure(
        invalidArtifact(key, "ASSET_INTEGRITY: ASSET_HASH_MISMATCH: asset abc hashes to def"));

    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.REJECTED);
    assertThat(r.integrityVerified()).isFalse();
    assertThat(r.assetVerificationPassed()).isFalse();
  }

  @Test
  void recordFailure_whenTheVerifierRejectsBeforeGate8_leavesAssetVerificationUnset() {
    ArtifactKey key = world.publish();

    outcomes.recordFailure(
        invalidArtifact(
            key,
            "{\"errorMessage\":\"FILE_INTEGRITY: FILE_HASH_MISMATCH: manifest.json\","
                + "\"errorType\":\"dev.cairn.core.pipeline.ArtifactRejected\"}"));

    ArtifactRecord r = record(key);
    assertThat(r.integrityVerified()).isFalse();
    assertThat(r.assetVerificationPassed()).isNull();
  }

  @Test
  void rejectedAt_readsTheGateFromThePlainOrLambdaWrappedMessage() {
    assertThat(OutcomeUseCase.rejectedAt("ASSET_INTEGRITY: X: y")).isEqualTo(Gate.ASSET_INTEGRITY);
    assertThat(OutcomeUseCase.rejectedAt("{\"errorMessage\":\"SIGNATURE: BAD: z\"}"))
        .isEqualTo(Gate.SIGNATURE);
    assertThat(OutcomeUseCase.rejectedAt("Task timed out")).isNull();
  }

  // --- rollback_backoff_schedule / RollbackFailureRate ----------------------------------------

  @Test
  void recordRollback_exhausted_recordsTheWaitsTakenAndOneFailedDatumPerAttempt() {
    ArtifactKey key = rollbackInitiated();

    outcomes.recordRollback(rollback(key, "rollback_failed", 2, List.of(0, 60)));

    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.ROLLBACK_FAILED);
    assertThat(r.rollbackAttempts()).isEqualTo(2);
    assertThat(r.rollbackBackoffSchedule()).containsExactly(0L, 60L);
    assertThat(rollbackAttempts).containsExactly("failed", "failed");
    assertThat(r.rollbackFailureReason())
        .isEqualTo("RollbackDeployFailed: orders-data: Rate exceeded");
  }

  @Test
  void rollbackFailure_unwrapsTheLambdaErrorJsonAndNamesTheError() {
    ObjectNode lambdaError = Json.object();
    lambdaError.put("Error", "dev.cairn.core.pipeline.ArtifactRejected");
    lambdaError.put(
        "Cause",
        "{\"errorMessage\":\"SIGNATURE: SIGNATURE_INVALID: release copy\",\"errorType\":\"x\"}");

    assertThat(OutcomeUseCase.rollbackFailure(lambdaError))
        .isEqualTo(
            "dev.cairn.core.pipeline.ArtifactRejected: SIGNATURE: SIGNATURE_INVALID: release copy");
    assertThat(OutcomeUseCase.rollbackFailure(Json.object())).isEqualTo("rollback deploy failed");
  }

  @Test
  void recordRollback_withoutAKnownGoodCommit_saysSo() {
    ArtifactKey key = rollbackInitiated();

    outcomes.recordRollback(rollback(key, "rollback_failed", 0, List.of()));

    assertThat(record(key).rollbackFailureReason()).isEqualTo("no known-good commit");
  }

  @Test
  void recordRollback_succeededAtTheSecondAttempt_emitsOneFailedThenOneSucceeded() {
    ArtifactKey key = rollbackInitiated();

    outcomes.recordRollback(rollback(key, "rollback_succeeded", 2, List.of(0, 60)));

    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.ROLLBACK_SUCCEEDED);
    assertThat(r.rollbackBackoffSchedule()).containsExactly(0L, 60L);
    assertThat(rollbackAttempts).containsExactly("failed", "succeeded");
  }

  @Test
  void recordRollback_withoutAKnownGoodCommit_madeNoAttemptAndEmitsNone() {
    ArtifactKey key = rollbackInitiated();

    outcomes.recordRollback(rollback(key, "rollback_failed", 0, List.of()));

    assertThat(record(key).rollbackBackoffSchedule()).isEmpty();
    assertThat(rollbackAttempts).isEmpty();
  }

  @Test
  void recordRollback_whenTheScheduleDoesNotListOneWaitPerAttempt_isRefused() {
    ArtifactKey key = rollbackInitiated();

    assertThatThrownBy(
            () -> outcomes.recordRollback(rollback(key, "rollback_failed", 2, List.of(60))))
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
            world.clock.instant().toString(),
            "2.1148.1",
            "c".repeat(64),
            null,
            true,
            null,
            "us-east-1",
            List.of(
                new dev.cairn.core.ledger.CandidateRecords.Environment("stage", "us-east-1"),
                new dev.cairn.core.ledger.CandidateRecords.Environment("prod", "us-east-1")));
    String failedAt = world.clock.instant().toString();
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

  private static PipelineRequest invalidArtifact(ArtifactKey key, String cause) {
    ObjectNode p = payload(key, "record_failure", "stage");
    p.put("phase", "verify");
    p.put("outcome", "invalid_artifact");
    p.putObject("error").put("Error", ArtifactRejected.class.getName()).put("Cause", cause);
    return PipelineRequest.from(p);
  }

  private static PipelineRequest rollback(
      ArtifactKey key, String outcome, int attempts, List<Integer> waits) {
    ObjectNode p = payload(key, "record_rollback", "prod");
    p.put("outcome", outcome);
    p.put("attempts", attempts);
    waits.forEach(p.putArray("backoff_schedule")::add);
    if (waits.isEmpty()) {
      p.putArray("backoff_schedule");
    }
    p.put("last_known_good_commit", "1a2b3c4d5e6f1a2b3c4d5e6f1a2b3c4d5e6f1a2b");
    p.putObject("error")
        .put("Error", "RollbackDeployFailed")
        .put("Cause", "orders-data: Rate exceeded");
    return PipelineRequest.from(p);
  }

  private static ObjectNode payload(ArtifactKey key, String action, String environment) {
    ObjectNode p = Json.object();
    p.put("action", action);
    p.put("service", key.service());
    p.put("commit_sha", key.commitSha());
    p.put("environment", environment);
    p.put("execution_id", EXECUTION);
    return p;
  }

  private PipelineServices services() {
    PipelineMetrics metrics =
        new PipelineMetrics() {
          @Override
          public void deployLatency(String s, String e, Duration l) {}

          @Override
          public void rollbackLatency(String s, String e, Duration l) {}

          @Override
          public void assetHashMismatch(String s, String e) {}

          @Override
          public void testResult(String s, String e, boolean p) {}

          @Override
          public void rollbackAttempt(String s, String e, boolean succeeded) {
            rollbackAttempts.add(succeeded ? "succeeded" : "failed");
          }

          @Override
          public void finalizerCorrected(String s, String e) {}

          @Override
          public void artifactNeverPromoted(int count) {}
        };
    return new PipelineServices(
        ledger,
        world.store(),
        (environment, session) -> {
          throw new AssertionError("no deploy");
        },
        (environment, alarms, since) -> new AlarmMonitor.AlarmWindow(List.of(), List.of()),
        metrics,
        world.chain,
        TestKeys.POLICY,
        TestWorld.CANDIDATE,
        TestWorld.RELEASE,
        ControlPlaneConfig.bootstrapVersionParameter("hnb659fds"),
        d -> {},
        world.clock);
  }
}
