package dev.cairn.core.pipeline;

import dev.cairn.core.pipeline.port.AlarmMonitor;
import java.util.List;
import java.util.Objects;

/**
 * What a deployer action answers, typed: one record per answer of docs/pipeline-contract.md. The
 * deployer Lambda's adapter writes each as the contract's JSON. A refusal is not a result: it is a
 * {@link PipelineError} whose class name the state machine's Catch routes on.
 */
public sealed interface DeployerResult {

  /** {@code poll_change_sets}' status. */
  enum ChangeSetStatus {
    PENDING,
    READY,
    FAILED
  }

  /** {@code poll_stacks}' and {@code rollback_poll}'s status. */
  enum RolloutStatus {
    IN_PROGRESS,
    SUCCEEDED,
    FAILED
  }

  /** {@code check_alarms}' state over the window so far. */
  enum AlarmState {
    OK,
    ALARM
  }

  /**
   * The environment's policy as {@code acquire_lease} hands it to the state machine: one definition
   * serves any chain.
   *
   * @param testsProject null when the environment runs no tests
   * @param nextEnvironment null only in the final environment
   */
  record Policy(
      boolean driftCheck,
      String testsProject,
      long bakeSeconds,
      long postDeployWatchSeconds,
      List<String> alarmNames,
      boolean finalEnvironment,
      String nextEnvironment,
      String deployRoleArn) {
    public Policy {
      alarmNames = List.copyOf(alarmNames);
    }
  }

  /** {@code acquire_lease}: this execution holds the environment. */
  record LeaseAcquired(String leaseId, String lastKnownGoodCommit, Policy policy)
      implements DeployerResult {
    public LeaseAcquired {
      Objects.requireNonNull(leaseId, "leaseId");
      Objects.requireNonNull(policy, "policy");
    }
  }

  /**
   * {@code detect_drift}: no drift, or drift a signed break_glass override authorized.
   *
   * @param overrideId the consumed override, or null when nothing drifted
   */
  record DriftChecked(List<String> checkedStacks, String overrideId) implements DeployerResult {
    public DriftChecked {
      checkedStacks = List.copyOf(checkedStacks);
    }
  }

  /** {@code create_change_sets}: one change set per stack, all with the deployment's name. */
  record ChangeSetsCreated(DeploymentId deploymentId, List<String> stackNames)
      implements DeployerResult {
    public ChangeSetsCreated {
      Objects.requireNonNull(deploymentId, "deploymentId");
      stackNames = List.copyOf(stackNames);
    }
  }

  /** {@code poll_change_sets}. */
  record ChangeSetsPolled(ChangeSetStatus status, String reason, int nextPollSeconds)
      implements DeployerResult {
    public ChangeSetsPolled {
      Objects.requireNonNull(status, "status");
    }
  }

  /** {@code execute_change_sets}. */
  record ChangeSetsExecuted(List<String> stacks, int nextPollSeconds) implements DeployerResult {
    public ChangeSetsExecuted {
      stacks = List.copyOf(stacks);
    }
  }

  /** {@code poll_stacks} and {@code rollback_poll}. */
  record StacksPolled(RolloutStatus status, String reason, int nextPollSeconds)
      implements DeployerResult {
    public StacksPolled {
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * {@code check_alarms}.
   *
   * @param alarmsInAlarm the alarms in ALARM now or at any time since the window opened
   * @param transitions every state change of the watched alarms since the window opened
   */
  record AlarmsChecked(
      AlarmState state,
      List<String> alarmsInAlarm,
      List<AlarmMonitor.AlarmTransition> transitions,
      boolean windowEnded,
      long nextCheckSeconds)
      implements DeployerResult {
    public AlarmsChecked {
      Objects.requireNonNull(state, "state");
      alarmsInAlarm = List.copyOf(alarmsInAlarm);
      transitions = List.copyOf(transitions);
    }
  }

  /** {@code promote}: where the release copy is ({@code s3://bucket/service/commit/}). */
  record Promoted(String releasePrefix) implements DeployerResult {
    public Promoted {
      Objects.requireNonNull(releasePrefix, "releasePrefix");
    }
  }

  /** {@code mark_deployed}: the final environment is healthy. */
  record MarkedDeployed() implements DeployerResult {}

  /**
   * {@code record_outcome}, {@code record_failure}, {@code record_rollback}: the ledger write is
   * done.
   *
   * @param auditOnly true when there was no record to move and the audit entry alone was written
   *     (an upload nobody registered)
   */
  record Recorded(boolean auditOnly) implements DeployerResult {
    public static final Recorded WRITTEN = new Recorded(false);
    public static final Recorded AUDIT_ONLY = new Recorded(true);
  }

  /** {@code rollback_start}: the last known good's redeploy is under way. */
  record RollbackStarted(DeploymentId deploymentId, int nextPollSeconds) implements DeployerResult {
    public RollbackStarted {
      Objects.requireNonNull(deploymentId, "deploymentId");
    }
  }
}
