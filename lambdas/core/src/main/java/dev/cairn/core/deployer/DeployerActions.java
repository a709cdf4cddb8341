package dev.cairn.core.deployer;

import dev.cairn.core.evidence.GateFailure;
import dev.cairn.core.evidence.ReleaseEvidenceRecorder;
import dev.cairn.core.pipeline.BakeUseCase;
import dev.cairn.core.pipeline.DeployerCommand;
import dev.cairn.core.pipeline.DeployerResult;
import dev.cairn.core.pipeline.DriftUseCase;
import dev.cairn.core.pipeline.LeaseUseCase;
import dev.cairn.core.pipeline.OutcomeUseCase;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.PromoteUseCase;
import dev.cairn.core.pipeline.RolloutUseCase;
import dev.cairn.core.pipeline.port.DriftOverride;
import dev.cairn.core.rollback.LastKnownGood;
import dev.cairn.core.rollback.RollbackUseCase;

/**
 * Runs one typed deployer command on its use case (docs/pipeline-contract.md), and records the
 * release evidence when the command ends the execution.
 */
public final class DeployerActions {

  private final LeaseUseCase lease;
  private final DriftUseCase drift;
  private final RolloutUseCase rollout;
  private final BakeUseCase bake;
  private final PromoteUseCase promote;
  private final OutcomeUseCase outcome;
  private final RollbackUseCase rollback;
  private final ReleaseEvidenceRecorder evidence;

  /**
   * @param approvals distinct signed approvals per artifact and environment (the override Lambda's
   *     store); environments with {@code approvals_required > 0} wait for them
   * @param driftOverride the stored, signed break_glass requests the drift gate re-verifies
   * @param evidence writes the release evidence record when an execution ends
   */
  public DeployerActions(
      PipelineServices services,
      LeaseUseCase.Approvals approvals,
      DriftOverride driftOverride,
      ReleaseEvidenceRecorder evidence) {
    this.lease = new LeaseUseCase(services, approvals);
    this.drift = new DriftUseCase(services, driftOverride);
    this.rollout = new RolloutUseCase(services);
    this.bake = new BakeUseCase(services);
    this.promote = new PromoteUseCase(services, rollout, new LastKnownGood(services.ledger()));
    this.outcome = new OutcomeUseCase(services);
    this.rollback = new RollbackUseCase(services, rollout);
    this.evidence = evidence;
  }

  /** Runs {@code command} on its use case. */
  public DeployerResult handle(DeployerCommand command) {
    // The commands are a sealed family; Java 17 has no switch over types, hence the chain.
    if (command instanceof DeployerCommand.AcquireLease c) {
      return lease.acquire(c);
    } else if (command instanceof DeployerCommand.DetectDrift c) {
      return drift.detect(c);
    } else if (command instanceof DeployerCommand.CreateChangeSets c) {
      return rollout.createChangeSets(c);
    } else if (command instanceof DeployerCommand.PollChangeSets c) {
      return rollout.pollChangeSets(c);
    } else if (command instanceof DeployerCommand.ExecuteChangeSets c) {
      return rollout.executeChangeSets(c);
    } else if (command instanceof DeployerCommand.PollStacks c) {
      return rollout.pollStacks(c);
    } else if (command instanceof DeployerCommand.CheckAlarms c) {
      return bake.checkAlarms(c);
    } else if (command instanceof DeployerCommand.Promote c) {
      return promote.promote(c);
    } else if (command instanceof DeployerCommand.MarkDeployed c) {
      return outcome.markDeployed(c);
    } else if (command instanceof DeployerCommand.RecordOutcome c) {
      return recordOutcome(c);
    } else if (command instanceof DeployerCommand.RecordFailure c) {
      return recordFailure(c);
    } else if (command instanceof DeployerCommand.RollbackStart c) {
      return rollback.start(c);
    } else if (command instanceof DeployerCommand.RollbackPoll c) {
      return rollback.poll(c);
    } else if (command instanceof DeployerCommand.RecordRollback c) {
      return recordRollback(c);
    }
    throw new IllegalArgumentException("unknown deployer command " + command);
  }

  private DeployerResult recordOutcome(DeployerCommand.RecordOutcome c) {
    DeployerResult.Recorded out = outcome.recordOutcome(c);
    evidence.record(
        c.request(), c.executionState(), c.outcome().name(), carried(c.executionState()));
    return out;
  }

  private DeployerResult recordRollback(DeployerCommand.RecordRollback c) {
    DeployerResult.Recorded out = rollback.record(c);
    evidence.record(
        c.request(), c.executionState(), c.outcome().name(), carried(c.executionState()));
    return out;
  }

  private DeployerResult recordFailure(DeployerCommand.RecordFailure c) {
    DeployerResult.Recorded out = outcome.recordFailure(c);
    // A rollback follows in the final environment: the execution ends in record_rollback, which
    // records the evidence then. An upload nobody registered has no record and no verified
    // manifest to describe: its refusal is the audit entry recordFailure wrote.
    if (!c.rollbackFollows() && !out.auditOnly()) {
      evidence.record(
          c.request(),
          c.executionState(),
          c.outcome().name(),
          GateFailure.fromCaught(c.phase().name(), c.error()));
    }
    return out;
  }

  /** After a success or a rollback: the failure, if any, is the one in the execution's state. */
  private static GateFailure carried(dev.cairn.core.pipeline.ExecutionState state) {
    return state
        .failure()
        .map(
            error ->
                GateFailure.fromCaught(
                    "AlarmTriggered".equals(error.error()) ? "bake" : "tests", error))
        .orElse(null);
  }
}
