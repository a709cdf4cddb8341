package dev.cairn.aws.sfn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.port.PipelineStarter;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * {@code StartExecution} of DeployArtifactPipeline with a deterministic name. A name that already
 * ran is not started again (the lease would make a second run harmless anyway).
 */
public final class SfnPipelineStarter implements PipelineStarter {

  private final SfnClient sfn;
  private final String stateMachineArn;

  public SfnPipelineStarter(SfnClient sfn, String stateMachineArn) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  @Override
  public String start(String name, ObjectNode input) {
    try {
      return TransientErrors.translate(
              () ->
                  sfn.startExecution(
                      r ->
                          r.stateMachineArn(stateMachineArn).name(name).input(Json.compact(input))))
          .executionArn();
    } catch (ExecutionAlreadyExistsException e) {
      return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }
  }

  /** Executions of {@code STATE_MACHINE_ARN}. */
  public static SfnPipelineStarter of(ControlPlaneWiring w) {
    return new SfnPipelineStarter(
        w.clients().client(SfnClient.class), w.required("STATE_MACHINE_ARN"));
  }
}
