package dev.cairn.lambda.deployer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.pipeline.DeployerActions;
import dev.cairn.core.pipeline.PipelineRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * The deployer Lambda: routes the payload's {@code action} to its use case
 * (docs/pipeline-contract.md). Transient AWS failures become {@code TransientError} for the state
 * machine's Retry; the pipeline's own errors keep their names for its Catch.
 */
public final class DeployerHandler implements RequestStreamHandler {

  private final Supplier<DeployerActions> actions;

  /**
   * INIT: clients are built once per sandbox; the use cases are rebuilt when the trust
   * configuration, re-read with its TTL, changed (ControlPlaneWiring#config).
   */
  public DeployerHandler() {
    this(ControlPlaneWiring.fromSystem().current(DeployerHandler::wire));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public DeployerHandler(DeployerActions actions) {
    this(() -> actions);
  }

  private DeployerHandler(Supplier<DeployerActions> actions) {
    this.actions = actions;
  }

  /**
   * The production composition: approvals come from the override Lambda's DynamoDB store and are
   * re-verified where they are counted; the drift gate's break_glass comes from its stored signed
   * requests.
   */
  public static DeployerActions wire(ControlPlaneWiring w) {
    return new DeployerActions(w.pipelineServices(), w.approvalCounter(), w.breakGlassGate());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ObjectNode payload = LambdaJson.readObject(input);
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context,
            HandlerLog.keysOf(payload),
            () -> {
              PipelineRequest request = PipelineRequest.from(payload);
              return TransientErrors.translate(() -> actions.get().handle(request));
            }));
  }
}
