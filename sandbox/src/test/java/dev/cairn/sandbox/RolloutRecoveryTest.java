package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.asl.ExecutionListener;
import dev.cairn.asl.ExecutionStatus;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.local.emulators.CloudFormationEmulator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * A failed first create leaves a stack in ROLLBACK_COMPLETE, which CloudFormation can only delete
 * (aws/aws-cdk#11995). The next deploy must delete it and create it again, not fail forever.
 */
class RolloutRecoveryTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void deploy_afterAFailedFirstCreate_deletesTheRolledBackStackAndCreatesItAgain()
      throws Exception {
    try (SandboxWorld w = new SandboxWorld(ExecutionListener.none())) {
      Path example = REPO.resolve("examples/hello-service/cdk.out");
      CloudFormationEmulator stage = w.cloudFormation.forAccount(SandboxWorld.STAGE_ACCOUNT);
      String first = "6666666666666666666666666666666666666666";
      String second = "7777777777777777777777777777777777777777";

      w.publish(example, first, d -> {});
      stage.failNextExecution(
          "hello-stage-data", "Resource handler returned message: \"Table limit exceeded\"");
      var failed = w.objectCreated(SandboxWorld.CANDIDATE, ScenarioContext.manifestKey(w, first));

      assertThat(failed.get(0).result().status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(stage.stackStatus("hello-stage-data")).contains(StackStatus.ROLLBACK_COMPLETE);

      w.publish(example, second, PipelineScenarios::secondRelease);
      var retried = w.objectCreated(SandboxWorld.CANDIDATE, ScenarioContext.manifestKey(w, second));

      assertThat(retried.get(0).result().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(stage.callCounts().get("DeleteStack")).isEqualTo(1);
      assertThat(stage.stackStatus("hello-stage-data")).contains(StackStatus.CREATE_COMPLETE);
      assertThat(
              w.ledger
                  .find(new ArtifactKey(SandboxWorld.SERVICE, second))
                  .orElseThrow()
                  .environment("stage")
                  .status()
                  .value())
          .isEqualTo("deployed");
    }
  }
}
