package dev.cairn.lambda.finalizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.aws.codebuild.CodeBuildTestBuilds;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.aws.sts.AssumedRoles;
import dev.cairn.core.finalize.ExecutionStatusChange;
import dev.cairn.core.finalize.FinalizeUseCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The finalizer Lambda: the target of the EventBridge rule on "Step Functions Execution Status
 * Change" (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) of DeployArtifactPipeline. A failure is thrown,
 * so EventBridge's retry policy redelivers; a redelivery is harmless (the use case is idempotent).
 */
public final class FinalizerHandler implements RequestStreamHandler {

  private final java.util.function.Supplier<FinalizeUseCase> finalizer;

  /**
   * Primes what finalizing touches: the ledger, the buckets, the environments' roles and stacks,
   * test builds, events, the trust config, item MACs and alerts, and the status-change event. Not
   * Step Functions: the finalizer calls none of its APIs (the event says how an execution ended).
   */
  private final Priming priming =
      Priming.register(
          "finalizer",
          Priming.dynamoDb(),
          Priming.s3(),
          AssumedRoles.priming(),
          AssumedRoleStackDeployers.priming(),
          CodeBuildTestBuilds.priming(),
          EventBridgePipelineEvents.priming(),
          Priming.ssm(),
          Priming.kms(),
          Priming.sns(),
          PowertoolsPipelineMetrics.priming(),
          Priming.event(
              FinalizerHandler.class,
              "priming-event.json",
              e -> {
                ExecutionStatusChange change = ExecutionStatusChange.fromEvent(e);
                HandlerLog.keys(
                    change.service(),
                    change.commitSha(),
                    change.inputText("environment"),
                    change.executionArn());
              }),
          Priming.invocation(
              FinalizerHandler.class,
              "priming-event.json",
              "returned",
              w -> new FinalizerHandler(w.current(FinalizerHandler::wire))));

  /** INIT: clients and configuration are built once per sandbox. */
  public FinalizerHandler() {
    // Rebuilt when the trust configuration changes (its read expires, and after a restore).
    this(ControlPlaneWiring.fromSystem().current(FinalizerHandler::wire));
  }

  /**
   * The production composition: the stacks through each environment's role, events {@code
   * cairn.finalizer}, the test builds' status from CodeBuild.
   */
  public static FinalizeUseCase wire(ControlPlaneWiring w) {
    return w.finalizeUseCase(
        AssumedRoleStackDeployers.of(w),
        EventBridgePipelineEvents.of(w, EventBridgePipelineEvents.FINALIZER_SOURCE),
        CodeBuildTestBuilds.of(w));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public FinalizerHandler(FinalizeUseCase finalizer) {
    this(() -> finalizer);
  }

  private FinalizerHandler(java.util.function.Supplier<FinalizeUseCase> finalizer) {
    this.finalizer = finalizer;
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ExecutionStatusChange change = ExecutionStatusChange.fromEvent(LambdaJson.readObject(input));
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context,
            HandlerLog.keys(
                change.service(),
                change.commitSha(),
                change.inputText("environment"),
                change.executionArn()),
            () -> TransientErrors.translate(() -> finalizer.get().finalize(change).toJson())));
  }
}
