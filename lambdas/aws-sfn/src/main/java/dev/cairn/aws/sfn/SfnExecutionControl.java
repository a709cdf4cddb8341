package dev.cairn.aws.sfn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.core.json.Json;
import dev.cairn.core.sweep.port.ExecutionControl;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * {@link ExecutionControl} on the Step Functions API of one state machine. A start first looks the
 * name up ({@code DescribeExecution}), because {@code StartExecution} answers 200 for a running
 * execution with the same name and input, and the caller must know it did not start anything.
 */
public final class SfnExecutionControl implements ExecutionControl {

  private static final int MAX_ERROR = 256;
  private static final int MAX_CAUSE = 32_768;

  private final SfnClient sfn;
  private final String stateMachineArn;

  public SfnExecutionControl(SfnClient sfn, String stateMachineArn) {
    if (stateMachineArn == null || !stateMachineArn.contains(":stateMachine:")) {
      throw new IllegalArgumentException("not a state machine ARN: " + stateMachineArn);
    }
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  /** The ARN an execution named {@code name} of this state machine has. */
  public String executionArn(String name) {
    return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
  }

  @Override
  public Started start(String name, ObjectNode input) {
    String arn = executionArn(name);
    if (status(arn).isPresent()) {
      return new Started(arn, true);
    }
    try {
      String started =
          sfn.startExecution(
                  r -> r.stateMachineArn(stateMachineArn).name(name).input(Json.compact(input)))
              .executionArn();
      return new Started(started, false);
    } catch (ExecutionAlreadyExistsException e) {
      return new Started(arn, true);
    }
  }

  @Override
  public Optional<String> status(String executionArn) {
    try {
      return Optional.of(sfn.describeExecution(r -> r.executionArn(executionArn)).statusAsString());
    } catch (ExecutionDoesNotExistException e) {
      return Optional.empty();
    }
  }

  @Override
  public void stop(String executionArn, String error, String cause) {
    try {
      sfn.stopExecution(
          r ->
              r.executionArn(executionArn)
                  .error(truncate(error, MAX_ERROR))
                  .cause(truncate(cause, MAX_CAUSE)));
    } catch (ExecutionDoesNotExistException e) {
      // Nothing to stop.
    }
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  /** Executions of {@code STATE_MACHINE_ARN}. */
  public static SfnExecutionControl of(ControlPlaneWiring w) {
    return new SfnExecutionControl(
        w.clients().client(SfnClient.class), w.required("STATE_MACHINE_ARN"));
  }

  /** SnapStart priming: pipeline executions started and read, and their histories. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "StepFunctions",
        SfnClient::builder,
        (SfnClient c) -> {
          c.startExecution(
              r ->
                  r.stateMachineArn("arn:aws:states:us-east-1:000000000000:stateMachine:priming")
                      .name("priming")
                      .input("{}"));
          c.describeExecution(
              r ->
                  r.executionArn(
                      "arn:aws:states:us-east-1:000000000000:execution:priming:priming"));
          c.getExecutionHistory(
              r ->
                  r.executionArn("arn:aws:states:us-east-1:000000000000:execution:priming:priming")
                      .reverseOrder(true));
        });
  }
}
