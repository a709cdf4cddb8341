package dev.cairn.lambda.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.sfn.SfnExecutionControl;
import dev.cairn.core.json.Json;
import dev.cairn.core.sweep.port.ExecutionControl;
import dev.cairn.local.emulators.SfnEmulator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;

/** {@link SfnExecutionControl} on the honest Step Functions fake: names, reuse, stop. */
class SfnExecutionControlTest {

  static final String MACHINE =
      "arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline";

  final Fixtures.MovingClock clock = new Fixtures.MovingClock();
  final SfnEmulator sfn = new SfnEmulator(clock);
  final SfnExecutionControl control = new SfnExecutionControl(sfn, MACHINE);

  @Test
  void start_twiceWithTheSameName_startsOnce() {
    var input = Json.object().put("service", "orders");
    ExecutionControl.Started first = control.start("sweep-stage-4f2a9c1e0b3d-v2", input);
    ExecutionControl.Started second = control.start("sweep-stage-4f2a9c1e0b3d-v2", input);
    assertThat(first.existed()).isFalse();
    assertThat(first.executionArn())
        .isEqualTo(
            "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:sweep-stage-4f2a9c1e0b3d-v2");
    assertThat(second).isEqualTo(new ExecutionControl.Started(first.executionArn(), true));
    assertThat(sfn.startExecutionRequests()).hasSize(1);
    assertThat(control.status(first.executionArn())).contains("RUNNING");
  }

  @Test
  void start_whenTheNamedExecutionClosed_reportsItExisted() {
    var input = Json.object().put("service", "orders");
    String arn = control.start("sweep-stage-x-v1", input).executionArn();
    sfn.complete(arn, SfnEmulator.Outcome.failed("States.Runtime", "boom"));
    assertThat(control.start("sweep-stage-x-v1", input).existed()).isTrue();
    assertThat(control.status(arn)).contains("FAILED");
  }

  @Test
  void stop_abortsWithTheWatchdogsError_andUnknownIsHarmless() {
    String arn = control.start("s3-1", Json.object()).executionArn();
    control.stop(arn, "StuckPipelineTerminated", "no recorded progress for 66 min");
    assertThat(control.status(arn)).contains("ABORTED");
    StopExecutionRequest stop =
        sfn.requests().stream()
            .filter(StopExecutionRequest.class::isInstance)
            .map(StopExecutionRequest.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(stop.error()).isEqualTo("StuckPipelineTerminated");
    control.stop(control.executionArn("never-started"), "e", "c");
    assertThat(control.status(control.executionArn("never-started"))).isEmpty();
  }
}
