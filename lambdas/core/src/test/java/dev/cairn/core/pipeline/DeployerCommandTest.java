package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.pipeline.DeployerCommand.FailurePhase;
import org.junit.jupiter.api.Test;

/**
 * What the commands decide by themselves: a failure ends the execution unless the rollback loop
 * follows it, and then {@code record_rollback} records the release evidence instead.
 */
class DeployerCommandTest {

  private static final PipelineRequest REQUEST =
      new PipelineRequest(
          "orders",
          "4f2a9c1b" + "0".repeat(32),
          "prod",
          "arn:aws:states:us-east-1:111111111111:execution:DeployArtifactPipeline:orders-prod-1");

  @Test
  void recordFailure_ofTestsBakeOrWatchInTheFinalEnvironment_isFollowedByTheRollback() {
    for (FailurePhase phase : FailurePhase.values()) {
      boolean rollbackPhase =
          phase == FailurePhase.tests
              || phase == FailurePhase.bake
              || phase == FailurePhase.post_deploy_watch;
      assertThat(failure(phase, true).rollbackFollows())
          .as("%s, final", phase)
          .isEqualTo(rollbackPhase);
      assertThat(failure(phase, false).rollbackFollows()).as("%s, not final", phase).isFalse();
    }
  }

  private static DeployerCommand.RecordFailure failure(FailurePhase phase, boolean last) {
    return new DeployerCommand.RecordFailure(
        REQUEST,
        phase,
        DeployerCommand.FailureOutcome.test_failed,
        new CaughtError("States.TaskFailed", "smoke tests failed"),
        ExecutionState.NONE,
        last);
  }
}
