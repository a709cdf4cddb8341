package dev.cairn.lambda.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.aws.sfn.SfnExecutionControl;
import dev.cairn.core.sweep.SweepUseCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The sweeper Lambda, on the EventBridge schedule {@code rate(2 minutes)} with reserved concurrency
 * 1: one sweep per invocation; the output is the sweep's report. The scheduled event carries
 * nothing the sweep needs (time comes from the clock), but it must be a JSON object.
 */
public final class SweeperHandler implements RequestStreamHandler {

  private final java.util.function.Supplier<SweepUseCase> sweep;

  /**
   * Primes what a sweep touches: the sweep index and ledger, the buckets, executions, events, the
   * trust config, item MACs and alerts, the scheduled event, and the signature providers (stored
   * approvals are re-verified).
   */
  private final Priming priming =
      Priming.register(
          "sweeper",
          Priming.dynamoDb(),
          Priming.s3(),
          SfnExecutionControl.priming(),
          EventBridgePipelineEvents.priming(),
          Priming.ssm(),
          Priming.kms(),
          Priming.sns(),
          PowertoolsPipelineMetrics.priming(),
          Priming.event(SweeperHandler.class, "priming-event.json", HandlerLog::keysOf),
          Priming.signatures(),
          Priming.invocation(
              SweeperHandler.class,
              "priming-event.json",
              "returned",
              w -> new SweeperHandler(w.current(SweeperHandler::wire))));

  /** INIT: clients and configuration are built once per sandbox. */
  public SweeperHandler() {
    // Rebuilt when the trust configuration changes (its read expires, and after a restore).
    this(ControlPlaneWiring.fromSystem().current(SweeperHandler::wire));
  }

  /**
   * The production composition: executions through Step Functions, events {@code cairn.sweeper}.
   */
  public static SweepUseCase wire(ControlPlaneWiring w) {
    return w.sweepUseCase(
        SfnExecutionControl.of(w),
        EventBridgePipelineEvents.of(w, EventBridgePipelineEvents.SWEEPER_SOURCE));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public SweeperHandler(SweepUseCase sweep) {
    this(() -> sweep);
  }

  private SweeperHandler(java.util.function.Supplier<SweepUseCase> sweep) {
    this.sweep = sweep;
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    LambdaJson.readObject(input);
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context,
            Map.of(),
            () -> TransientErrors.translate(() -> sweep.get().sweep().toJson())));
  }
}
