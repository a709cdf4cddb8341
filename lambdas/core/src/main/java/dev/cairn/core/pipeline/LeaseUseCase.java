package dev.cairn.core.pipeline;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code acquire_lease}: the conditional write that makes duplicate deliveries harmless
 * (ARCHITECTURE decision 5). The environment moves {@code pending → deploying} for exactly one
 * execution; every other execution for the same artifact and environment ends quietly.
 */
public final class LeaseUseCase {

  private final PipelineServices s;
  private final Approvals approvals;

  /**
   * Without an approvals source: an environment that requires approvals ({@code approvals_required
   * > 0}) never gets a lease (fail closed).
   */
  public LeaseUseCase(PipelineServices services) {
    this(services, (key, environment, artifactSha256) -> 0);
  }

  public LeaseUseCase(PipelineServices services, Approvals approvals) {
    this.s = services;
    this.approvals = approvals;
  }

  /**
   * Port: how many distinct operator keys approved {@code key} with digest {@code artifactSha256}
   * for {@code environment} (the override Lambda's signed {@code approve} requests), counting only
   * approvals that are bound to exactly that digest, environment and this installation and have not
   * expired.
   */
  @FunctionalInterface
  public interface Approvals {
    int distinct(
        dev.cairn.core.lifecycle.ArtifactKey key, String environment, String artifactSha256);
  }

  public DeployerResult.LeaseAcquired acquire(DeployerCommand.AcquireLease cmd) {
    PipelineRequest req = cmd.request();
    String env = req.environment();
    // An unknown environment is refused before anything is written.
    int required = s.chain().get(env).approvalsRequired();
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    EnvironmentState state = record.environment(env);
    if (state == null) {
      throw new IllegalStateException("the record has no environment " + env);
    }
    // A retry of this execution's own acquire (its response was lost) finds the lease it took.
    boolean retry =
        state.status() == EnvironmentStatus.DEPLOYING
            && req.executionId().equals(record.executionId());
    if (!retry && state.status() != EnvironmentStatus.PENDING) {
      throw new DuplicateExecution(
          "environment "
              + env
              + " is "
              + state.status()
              + (record.executionId() == null ? "" : " (execution " + record.executionId() + ")"));
    }
    if (required > 0) {
      // N-of-M approvals are counted on every acquire, before the record is trusted for anything:
      // a record that already says deploying for this execution id is no evidence of approval
      // (anyone who could write it would otherwise skip the count).
      // The digest this execution's VerifyManifest vouched for, never the ledger's value.
      int have = approvals.distinct(req.key(), env, requiredDigest(cmd));
      if (have < required) {
        throw new ApprovalsPending(
            "APPROVALS_PENDING: environment "
                + env
                + " needs "
                + required
                + " distinct operator approvals; "
                + have
                + " recorded");
      }
    }
    if (!retry) {
      Instant now = s.clock().instant();
      Instant startedAt = cmd.executionStartedAt() != null ? cmd.executionStartedAt() : now;
      try {
        LedgerMoves.move(
            s.ledger(),
            req,
            "LeaseAcquired",
            List.of(
                StateChange.environment(
                    env, EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            LedgerMoves.env(env, e -> LedgerMoves.times(e, now, null, null, null, null, null, null))
                .andThen(
                    b ->
                        b.executionId(req.executionId())
                            .executionStartedAt(startedAt)
                            // With execution_started_at, this puts sweep_due_at exactly where
                            // the watchdog would act (65 min + bake + post-deploy watch).
                            .executionAllowanceSeconds(s.chain().inFlightAllowance(env).toSeconds())
                            .executionStatus(ExecutionStatus.RUNNING)
                            // The state machine reaches acquire_lease only when VerifyManifest
                            // accepted this artifact for this environment. Gate 8's outcome is
                            // the one the verifier reported to this execution (absent: not
                            // vouched for, so false). A rejection sets both false in
                            // record_failure instead.
                            .integrityVerified(true)
                            .assetVerificationPassed(cmd.assetVerificationPassed())
                            // A new execution: the previous one's finalizer marks no longer apply.
                            .finalizerRan(false)
                            .finalizerCorrectionApplied(false)),
            Map.of(
                "trigger",
                cmd.trigger().name(),
                "execution_name",
                String.valueOf(cmd.executionName())));
      } catch (TransitionRefusedException e) {
        // Another execution won the conditional write between our read and our write.
        throw new DuplicateExecution("lost the lease race for " + env + ": " + e.getMessage());
      }
    }
    return new DeployerResult.LeaseAcquired(
        req.executionId(), record.lastKnownGoodCommit(), s.chain().contractPolicy(env));
  }

  /** Approvals are counted against the digest the execution verified: it must have one. */
  private static String requiredDigest(DeployerCommand.AcquireLease cmd) {
    if (cmd.artifactSha256() == null || cmd.artifactSha256().isBlank()) {
      throw new IllegalArgumentException("action acquire_lease needs \"artifact_sha256\"");
    }
    return cmd.artifactSha256();
  }
}
