package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.failure.Gate;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.sweep.InMemoryLedger;
import dev.cairn.core.sweep.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * The ledger attributes the end-of-path writes set: {@code integrity_verified} and {@code
 * asset_verification_passed} on a rejection.
 */
class OutcomeUseCaseTest {

  private static final String EXECUTION =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:prod-1";

  private final TestWorld world = new TestWorld();
  private final InMemoryLedger ledger = world.ledger;
  private final OutcomeUseCase outcomes =
      new OutcomeUseCase(world.services(new TestWorld.Metrics()));

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

  // --- fixtures ---------------------------------------------------------------------------------

  private ArtifactRecord record(ArtifactKey key) {
    return ledger.find(key).orElseThrow();
  }

  private static DeployerCommand.RecordFailure invalidArtifact(ArtifactKey key, String cause) {
    return new DeployerCommand.RecordFailure(
        new PipelineRequest(key.service(), key.commitSha(), "stage", EXECUTION),
        DeployerCommand.FailurePhase.verify,
        DeployerCommand.FailureOutcome.invalid_artifact,
        new CaughtError(ArtifactRejected.class.getName(), cause),
        ExecutionState.NONE,
        false);
  }
}
