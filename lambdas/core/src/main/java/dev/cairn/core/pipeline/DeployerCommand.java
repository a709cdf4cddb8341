package dev.cairn.core.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One deployer invocation, typed: a record per action of docs/pipeline-contract.md with the fields
 * the production definition sends it. The deployer Lambda's adapter reads them from the payload and
 * refuses a payload with a missing or unknown field; the use cases see only these values.
 *
 * <p>Enum constants are spelled as the contract spells the values (as {@link DeploymentId.Kind}).
 */
public sealed interface DeployerCommand {

  /** The fields every action carries. */
  PipelineRequest request();

  /** What started the execution (the execution input's {@code trigger}). */
  enum Trigger {
    s3,
    sweeper,
    override
  }

  /** The alarm window {@code check_alarms} looks at. */
  enum AlarmPhase {
    bake,
    post_deploy_watch
  }

  /** The phase whose failure {@code record_failure} records. */
  enum FailurePhase {
    verify,
    drift,
    deploy,
    tests,
    bake,
    post_deploy_watch,
    pipeline;

    /** The phases whose failure in the final environment starts the rollback loop. */
    public boolean startsRollback() {
      return this == tests || this == bake || this == post_deploy_watch;
    }
  }

  /** {@code record_failure}'s {@code outcome}. */
  enum FailureOutcome {
    invalid_artifact,
    drift_detected,
    deploy_failed,
    test_failed,
    pipeline_error
  }

  /** {@code record_outcome}'s {@code outcome}: the success paths. */
  enum SuccessOutcome {
    promoted,
    deployed
  }

  /** {@code record_rollback}'s {@code outcome}. */
  enum RollbackOutcome {
    rollback_succeeded,
    rollback_failed
  }

  /**
   * {@code acquire_lease}.
   *
   * @param executionStartedAt {@code $$.Execution.StartTime}, or null (the lease's own time then)
   * @param artifactSha256 the digest this execution's {@code VerifyManifest} vouched for
   * @param assetVerificationPassed gate 8's outcome as the verifier reported it to this execution
   */
  record AcquireLease(
      PipelineRequest request,
      Trigger trigger,
      String executionName,
      Instant executionStartedAt,
      String artifactSha256,
      boolean assetVerificationPassed)
      implements DeployerCommand {
    public AcquireLease {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(trigger, "trigger");
    }
  }

  /** {@code detect_drift}. */
  record DetectDrift(PipelineRequest request, String deployRoleArn) implements DeployerCommand {
    public DetectDrift {
      Objects.requireNonNull(request, "request");
    }
  }

  /** {@code create_change_sets}. */
  record CreateChangeSets(
      PipelineRequest request,
      String bucket,
      String manifestKey,
      String deployRoleArn,
      ArtifactEvidence evidence)
      implements DeployerCommand {
    public CreateChangeSets {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(evidence, "evidence");
    }
  }

  /** {@code poll_change_sets}. */
  record PollChangeSets(
      PipelineRequest request, DeploymentId deploymentId, ArtifactEvidence evidence)
      implements DeployerCommand {
    public PollChangeSets {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(deploymentId, "deploymentId");
    }
  }

  /** {@code execute_change_sets}. */
  record ExecuteChangeSets(
      PipelineRequest request, DeploymentId deploymentId, ArtifactEvidence evidence)
      implements DeployerCommand {
    public ExecuteChangeSets {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(deploymentId, "deploymentId");
    }
  }

  /**
   * {@code poll_stacks}.
   *
   * @param commitTime the verified manifest's commit time ({@code DeployLatency} starts there), or
   *     null (then the record's build time)
   */
  record PollStacks(
      PipelineRequest request,
      DeploymentId deploymentId,
      ArtifactEvidence evidence,
      Instant commitTime)
      implements DeployerCommand {
    public PollStacks {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(deploymentId, "deploymentId");
    }
  }

  /**
   * {@code check_alarms}.
   *
   * @param alarmNames the alarms to watch; empty means the environment's
   * @param since when the window opened
   * @param windowSeconds the window's length; 0 makes the call a single look at a window ending now
   */
  record CheckAlarms(
      PipelineRequest request,
      List<String> alarmNames,
      Instant since,
      long windowSeconds,
      AlarmPhase phase)
      implements DeployerCommand {
    public CheckAlarms {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(phase, "phase");
      alarmNames = List.copyOf(alarmNames);
    }
  }

  /**
   * {@code promote}. The payload's {@code tests} (the test build's output) is read by no step: the
   * execution's state keeps it for the evidence record.
   */
  record Promote(
      PipelineRequest request,
      String nextEnvironment,
      DeploymentId deploymentId,
      ArtifactEvidence evidence)
      implements DeployerCommand {
    public Promote {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(evidence, "evidence");
    }
  }

  /** {@code mark_deployed}; as {@link Promote}, {@code tests} is not read. */
  record MarkDeployed(PipelineRequest request, DeploymentId deploymentId)
      implements DeployerCommand {
    public MarkDeployed {
      Objects.requireNonNull(request, "request");
    }
  }

  /** {@code record_outcome}. */
  record RecordOutcome(
      PipelineRequest request,
      SuccessOutcome outcome,
      DeploymentId deploymentId,
      ExecutionState executionState)
      implements DeployerCommand {
    public RecordOutcome {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(executionState, "executionState");
    }
  }

  /**
   * {@code record_failure}.
   *
   * @param finalEnvironment whether the environment is the chain's last (sent by the test, bake and
   *     watch failures, whose rollback follows there); false when not sent
   */
  record RecordFailure(
      PipelineRequest request,
      FailurePhase phase,
      FailureOutcome outcome,
      CaughtError error,
      ExecutionState executionState,
      boolean finalEnvironment)
      implements DeployerCommand {
    public RecordFailure {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(executionState, "executionState");
    }

    /** Whether the state machine goes on to roll back (and ends in {@code record_rollback}). */
    public boolean rollbackFollows() {
      return phase.startsRollback() && finalEnvironment;
    }
  }

  /**
   * {@code rollback_start}.
   *
   * @param attempt 1-based
   */
  record RollbackStart(
      PipelineRequest request, String lastKnownGoodCommit, int attempt, String deployRoleArn)
      implements DeployerCommand {
    public RollbackStart {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(lastKnownGoodCommit, "lastKnownGoodCommit");
    }
  }

  /** {@code rollback_poll}. */
  record RollbackPoll(PipelineRequest request, DeploymentId deploymentId)
      implements DeployerCommand {
    public RollbackPoll {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(deploymentId, "deploymentId");
    }
  }

  /**
   * {@code record_rollback}.
   *
   * @param backoffSchedule the seconds the state machine waited before each attempt, one per
   *     attempt (the first is 0)
   * @param error the last attempt's failure; {@link CaughtError#NONE} when there was none
   * @param attemptsExhausted {@code rollback_attempts_exhausted}, sent with {@code rollback_failed}
   * @param manualInterventionRequired {@code manual_intervention_required}, likewise
   */
  record RecordRollback(
      PipelineRequest request,
      RollbackOutcome outcome,
      int attempts,
      List<Long> backoffSchedule,
      String lastKnownGoodCommit,
      CaughtError error,
      boolean attemptsExhausted,
      boolean manualInterventionRequired,
      ExecutionState executionState)
      implements DeployerCommand {
    public RecordRollback {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(error, "error");
      Objects.requireNonNull(executionState, "executionState");
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts is negative: " + attempts);
      }
      if (backoffSchedule.size() != attempts) {
        throw new IllegalArgumentException(
            "backoff_schedule must list one wait per attempt ("
                + attempts
                + "): "
                + backoffSchedule);
      }
      backoffSchedule = List.copyOf(backoffSchedule);
    }
  }
}
