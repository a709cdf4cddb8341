package dev.cairn.lambda.override;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.events.AwsOverrideNotifier;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.aws.sfn.SfnExecutionControl;
import dev.cairn.aws.sfn.SfnPipelineStarter;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.OverrideRefusedException;
import dev.cairn.core.override.OverrideRequests;
import dev.cairn.core.override.OverrideUseCase;
import dev.cairn.core.override.TrustRootWatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The override Lambda: the payload is one signed override request ({@code
 * schema/override-request.v1.json}), exactly as {@code cairn override create} wrote it. A refusal
 * is a normal result ({@code "outcome": "refused"} with a stable {@code failure}), not an error:
 * the refusal is recorded, and the caller learns why. Transient AWS failures throw.
 *
 * <p>It is also the target of the {@code TrustRootChangeRule}: a {@code Parameter Store Change}
 * event for the break-glass flag or the trust configuration is audited and alerted ({@link
 * TrustRootWatch}). The override Lambda already holds exactly those grants (audit append, alert
 * topic, both parameters); an override request can never look like that event, because a request
 * with {@code source} or {@code detail-type} fails its strict schema.
 */
public final class OverrideHandler implements RequestStreamHandler {

  private final Supplier<OverrideUseCase> useCase;
  private final Supplier<TrustRootWatch> trustRoots;

  /**
   * Primes what an override touches: the nonce, approval and break-glass stores, the ledger and
   * audit log, the buckets, the flag and trust config, item MACs, alerts and events, executions, a
   * request through its strict parser, and the signature providers. The operators' keys are never
   * primed: they are read from the config, which is read again after a restore.
   */
  private final Priming priming =
      Priming.register(
          "override",
          Priming.dynamoDb(),
          Priming.s3(),
          Priming.ssm(),
          Priming.kms(),
          Priming.sns(),
          EventBridgePipelineEvents.priming(),
          SfnExecutionControl.priming(),
          Priming.event(
              OverrideHandler.class,
              "priming-event.json",
              e -> {
                TrustRootWatch.isParameterChange(e);
                HandlerLog.keysOf(e);
                try {
                  OverrideRequests.parse(Json.compact(e).getBytes(StandardCharsets.UTF_8));
                } catch (OverrideRefusedException refused) {
                  throw new IllegalStateException("the priming request is refused", refused);
                }
              }),
          Priming.signatures(),
          Priming.invocation(
              OverrideHandler.class, "priming-event.json", "returned", OverrideHandler::new));

  /**
   * INIT: clients are built once per sandbox; the use case is rebuilt when the trust configuration,
   * re-read with its TTL, changed, so a revoked operator key stops working within the TTL.
   */
  public OverrideHandler() {
    this(ControlPlaneWiring.fromSystem());
  }

  private OverrideHandler(ControlPlaneWiring w) {
    this(
        w.current(
            x ->
                new OverrideUseCase(
                    x.overrideServices(AwsOverrideNotifier.of(x), SfnPipelineStarter.of(x)))),
        w.current(x -> x.trustRootWatch(AwsOverrideNotifier.of(x))));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public OverrideHandler(OverrideUseCase useCase, TrustRootWatch trustRoots) {
    this(() -> useCase, () -> trustRoots);
  }

  private OverrideHandler(Supplier<OverrideUseCase> useCase, Supplier<TrustRootWatch> trustRoots) {
    this.useCase = useCase;
    this.trustRoots = trustRoots;
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] document = input.readNBytes(LambdaJson.MAX_PAYLOAD_BYTES + 1);
    JsonNode payload = parseOrNull(document);
    if (payload != null && TrustRootWatch.isParameterChange(payload)) {
      LambdaJson.write(
          output,
          HandlerLog.invocation(
              context,
              Map.of(),
              () -> TransientErrors.translate(() -> trustRoots.get().changed(payload))));
      return;
    }
    // The request's own artifact keys, before it is verified, only to find its lines: the result
    // names the artifact the use case actually parsed.
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context,
            HandlerLog.keysOf(payload),
            () -> TransientErrors.translate(() -> useCase.get().submit(document))));
  }

  /** A malformed document is the override use case's to refuse (and audit), not this router's. */
  private static JsonNode parseOrNull(byte[] document) {
    try {
      return Json.parse(document);
    } catch (IOException e) {
      return null;
    }
  }
}
