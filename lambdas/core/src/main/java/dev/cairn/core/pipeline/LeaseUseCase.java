package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.TransitionPlanner;
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

  public LeaseUseCase(PipelineServices services) {
    this.s = services;
  }

  public ObjectNode acquire(PipelineRequest req) {
    String env = req.environment();
    s.chain().get(env); // an unknown environment is refused before anything is written
    ArtifactRecord record = LedgerMoves.current(s.ledger(), req.key());
    EnvironmentState state = record.environment(env);
    if (state == null) {
      throw new IllegalStateException("the record has no environment " + env);
    }
    boolean ours = req.executionId().equals(record.executionId());
    if (!(state.status() == EnvironmentStatus.DEPLOYING && ours)) {
      if (state.status() != EnvironmentStatus.PENDING) {
        throw new DuplicateExecution(
            "environment "
                + env
                + " is "
                + state.status()
                + (record.executionId() == null
                    ? ""
                    : " (execution " + record.executionId() + ")"));
      }
      Instant now = s.clock().instant();
      String startedAt =
          req.text("execution_started_at") != null
              ? req.text("execution_started_at")
              : TransitionPlanner.iso(now);
      try {
        LedgerMoves.move(
            s.ledger(),
            req,
            "LeaseAcquired",
            List.of(
                StateChange.environment(
                    env, EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            LedgerMoves.env(
                    env,
                    e ->
                        LedgerMoves.times(
                            e, TransitionPlanner.iso(now), null, null, null, null, null, null))
                .andThen(
                    b ->
                        b.executionId(req.executionId())
                            .executionStartedAt(startedAt)
                            .executionStatus(ExecutionStatus.RUNNING)
                            .integrityVerified(true)
                            .assetVerificationPassed(true)),
            Map.of(
                "trigger",
                String.valueOf(req.text("trigger")),
                "execution_name",
                String.valueOf(req.text("execution_name"))));
      } catch (TransitionRefusedException e) {
        // Another execution won the conditional write between our read and our write.
        throw new DuplicateExecution("lost the lease race for " + env + ": " + e.getMessage());
      }
    }
    ObjectNode out = Json.object();
    out.put("lease_id", req.executionId());
    if (record.lastKnownGoodCommit() == null) {
      out.putNull("last_known_good_commit");
    } else {
      out.put("last_known_good_commit", record.lastKnownGoodCommit());
    }
    out.set("policy", s.chain().contractPolicy(env));
    return out;
  }
}
