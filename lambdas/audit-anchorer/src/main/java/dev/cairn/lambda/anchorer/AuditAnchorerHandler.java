package dev.cairn.lambda.anchorer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.cloudtrail.CloudTrailLakeAnchorTrail;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.anchor.AuditAnchorer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The audit anchorer Lambda (EventBridge schedule, every 10 minutes). The scheduled event carries
 * nothing it needs; the output is the published anchor (or heartbeat) message.
 */
public final class AuditAnchorerHandler implements RequestStreamHandler {

  private final java.util.function.Supplier<AuditAnchorer> anchorer;

  /**
   * Primes what an anchor touches: the audit log, the anchors bucket, the anchor topic, CloudTrail
   * Lake, the trust config and item MACs, and the scheduled event.
   */
  private final Priming priming =
      Priming.register(
          "audit-anchorer",
          Priming.dynamoDb(),
          Priming.s3(),
          Priming.sns(),
          CloudTrailLakeAnchorTrail.priming(),
          Priming.ssm(),
          Priming.kms(),
          PowertoolsPipelineMetrics.priming(),
          Priming.event(AuditAnchorerHandler.class, "priming-event.json", HandlerLog::keysOf),
          Priming.invocation(
              AuditAnchorerHandler.class,
              "priming-event.json",
              "returned",
              w -> new AuditAnchorerHandler(w.current(AuditAnchorerHandler::wire))));

  /** INIT: clients and configuration are built once per sandbox. */
  public AuditAnchorerHandler() {
    // Rebuilt when the trust configuration changes (its read expires, and after a restore).
    this(ControlPlaneWiring.fromSystem().current(AuditAnchorerHandler::wire));
  }

  /** The production composition: anchors also to CloudTrail Lake when a channel is configured. */
  public static AuditAnchorer wire(ControlPlaneWiring w) {
    return w.auditAnchorer(CloudTrailLakeAnchorTrail.of(w));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public AuditAnchorerHandler(AuditAnchorer anchorer) {
    this(() -> anchorer);
  }

  private AuditAnchorerHandler(java.util.function.Supplier<AuditAnchorer> anchorer) {
    this.anchorer = anchorer;
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    input.readNBytes(LambdaJson.MAX_PAYLOAD_BYTES); // the schedule's event: nothing to read
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context, Map.of(), () -> TransientErrors.translate(() -> anchorer.get().anchor())));
  }
}
