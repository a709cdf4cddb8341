package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.emulators.SfnEmulator.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

class SfnEmulatorTest {

  private static final String SM =
      "arn:aws:states:eu-west-1:111111111111:stateMachine:DeployArtifactPipeline";
  private final SfnEmulator sfn =
      new SfnEmulator(
          Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC), Set.of(SM));

  @Test
  void startExecution_sameNameSameInputWhileRunning_returnsTheOriginal() {
    String arn =
        sfn.startExecution(r -> r.stateMachineArn(SM).name("svc-abc-stage").input("{\"a\":1}"))
            .executionArn();
    assertThat(arn)
        .isEqualTo(
            "arn:aws:states:eu-west-1:111111111111:execution:DeployArtifactPipeline:svc-abc-stage");
    assertThat(
            sfn.startExecution(r -> r.stateMachineArn(SM).name("svc-abc-stage").input("{\"a\":1}"))
                .executionArn())
        .isEqualTo(arn);
    assertThat(sfn.listExecutions(r -> r.stateMachineArn(SM)).executions()).hasSize(1);
  }

  @Test
  void startExecution_sameNameDifferentInput_orClosed_isExecutionAlreadyExists() {
    String arn =
        sfn.startExecution(r -> r.stateMachineArn(SM).name("n1").input("{}")).executionArn();
    assertThatThrownBy(
            () -> sfn.startExecution(r -> r.stateMachineArn(SM).name("n1").input("{\"x\":1}")))
        .isInstanceOfSatisfying(
            ExecutionAlreadyExistsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExecutionAlreadyExists");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    sfn.stopExecution(r -> r.executionArn(arn).error("Superseded").cause("sweeper"));
    assertThat(sfn.describeExecution(r -> r.executionArn(arn)).status())
        .isEqualTo(ExecutionStatus.ABORTED);
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(SM).name("n1").input("{}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
  }

  @Test
  void runner_decidesTheOutcome_andListExecutionsFiltersByStatus() {
    sfn.runner(
        (sm, arn, name, input) ->
            name.startsWith("ok")
                ? Outcome.succeeded("{\"done\":true}")
                : Outcome.failed("DeployFailed", "boom"));
    String ok = sfn.startExecution(r -> r.stateMachineArn(SM).name("ok-1")).executionArn();
    sfn.startExecution(r -> r.stateMachineArn(SM).name("bad-1"));
    var d = sfn.describeExecution(r -> r.executionArn(ok));
    assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(d.output()).isEqualTo("{\"done\":true}");
    assertThat(d.input()).isEqualTo("{}");
    assertThat(
            sfn.listExecutions(r -> r.stateMachineArn(SM).statusFilter(ExecutionStatus.FAILED))
                .executions())
        .extracting(ExecutionListItem::name)
        .containsExactly("bad-1");
  }

  @Test
  void completeClosesARunningExecution() {
    String arn = sfn.startExecution(r -> r.stateMachineArn(SM).name("r1")).executionArn();
    assertThat(sfn.describeExecution(r -> r.executionArn(arn)).status())
        .isEqualTo(ExecutionStatus.RUNNING);
    sfn.complete(arn, Outcome.failed("States.Timeout", "watchdog"));
    var d = sfn.describeExecution(r -> r.executionArn(arn));
    assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(d.error()).isEqualTo("States.Timeout");
  }

  @Test
  void errors_useTheApiCodes() {
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(SM).name("has space")))
        .isInstanceOfSatisfying(
            InvalidNameException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidName"));
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(SM).input("not json")))
        .isInstanceOfSatisfying(
            InvalidExecutionInputException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidExecutionInput"));
    assertThatThrownBy(
            () ->
                sfn.startExecution(
                    r ->
                        r.stateMachineArn(
                            "arn:aws:states:eu-west-1:111111111111:stateMachine:Other")))
        .isInstanceOfSatisfying(
            StateMachineDoesNotExistException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("StateMachineDoesNotExist"));
    assertThatThrownBy(
            () ->
                sfn.describeExecution(
                    r -> r.executionArn("arn:aws:states:eu-west-1:111111111111:execution:X:y")))
        .isInstanceOfSatisfying(
            ExecutionDoesNotExistException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExecutionDoesNotExist");
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }
}
