package dev.cairn.core.pipeline;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.port.RollbackTarget;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code promote} (spec "Stage Deployment + Testing", on test success): write the versions the
 * execution verified into the write-once release bucket and verify the copy against the execution's
 * own digests, then in one transaction mark the tests passed, set {@code promoted}, record the
 * rollback target and make the next environment {@code pending}.
 */
public final class PromoteUseCase {

  private final PipelineServices s;
  private final RolloutUseCase rollouts;
  private final RollbackTarget rollbackTarget;

  public PromoteUseCase(
      PipelineServices services, RolloutUseCase rollouts, RollbackTarget rollbackTarget) {
    this.s = services;
    this.rollouts = rollouts;
    this.rollbackTarget = rollbackTarget;
  }

  public DeployerResult.Promoted promote(DeployerCommand.Promote cmd) {
    PipelineRequest req = cmd.request();
    String env = req.environment();
    EnvironmentPolicy next =
        s.chain()
            .next(env)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        env + " is the final environment; nothing to promote to"));
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    // Exactly the versions this execution verified and then deployed and tested, compared with the
    // digest it verified: never the ledger's artifact_sha256, which another principal could write.
    ArtifactEvidence evidence = cmd.evidence();
    try {
      s.store().releaseArtifact(evidence, s.releaseBucket(), req.service(), req.commitSha());
    } catch (IOException e) {
      throw new TransientError("copy to the release bucket failed: " + e.getMessage(), e);
    }
    rollouts.verifyReleaseCopy(req.service(), req.commitSha(), evidence);
    String lkg =
        rollbackTarget.find(req.service(), s.chain().last().name(), req.commitSha()).orElse(null);
    Instant now = s.clock().instant();
    EnvironmentState state = record.environment(env);
    long testSeconds =
        state.testStartedAt() == null
            ? 0
            : Math.max(0, Duration.between(state.testStartedAt(), now).toSeconds());
    List<StateChange> changes = new ArrayList<>();
    changes.add(StateChange.test(env, TestStatus.TEST_RUNNING, TestStatus.TEST_PASSED));
    if (record.status() == ArtifactStatus.CANDIDATE || record.status() == ArtifactStatus.PROMOTED) {
      changes.add(StateChange.status(ArtifactStatus.CANDIDATE, ArtifactStatus.PROMOTED));
    }
    changes.add(
        StateChange.environment(
            next.name(), EnvironmentStatus.NOT_DEPLOYED, EnvironmentStatus.PENDING));
    LedgerMoves.move(
        s.ledger(),
        req,
        "ArtifactPromoted",
        changes,
        LedgerMoves.env(
                env, e -> LedgerMoves.times(e, null, null, null, now, null, null, testSeconds))
            .andThen(
                b ->
                    b.lastKnownGoodCommit(lkg)
                        .artifactUrl(
                            "s3://"
                                + s.releaseBucket()
                                + "/"
                                + req.service()
                                + "/"
                                + req.commitSha()
                                + "/")),
        Map.of("next_environment", next.name(), "last_known_good_commit", String.valueOf(lkg)));
    s.metrics().testResult(req.service(), env, true);
    return new DeployerResult.Promoted(
        "s3://" + s.releaseBucket() + "/" + req.service() + "/" + req.commitSha() + "/");
  }
}
