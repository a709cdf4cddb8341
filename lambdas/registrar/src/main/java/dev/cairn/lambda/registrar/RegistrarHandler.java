package dev.cairn.lambda.registrar;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.registrar.RegistrationUseCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The registrar Lambda: the payload is {@code {"service": ..., "commit_sha": ...}}, as {@code cairn
 * publish} sends it after uploading. The record is built from the signed manifest the registrar
 * reads itself. A refusal is a normal result ({@code "outcome": "refused"} with a stable {@code
 * failure}), recorded in the audit log; transient AWS failures throw.
 */
public final class RegistrarHandler implements RequestStreamHandler {

  private final java.util.function.Supplier<RegistrationUseCase> useCase;

  /**
   * Primes what a registration touches: the ledger and audit log, the candidate bucket, the trust
   * config, item MACs and alerts, the request, and the signature providers.
   */
  private final Priming priming =
      Priming.register(
          "registrar",
          Priming.dynamoDb(),
          Priming.s3(),
          Priming.ssm(),
          Priming.kms(),
          Priming.sns(),
          Priming.event(RegistrarHandler.class, "priming-event.json", HandlerLog::keysOf),
          Priming.signatures(),
          Priming.invocation(
              RegistrarHandler.class,
              "priming-event.json",
              "returned",
              w -> new RegistrarHandler(w.current(ControlPlaneWiring::registrationUseCase))));

  /** INIT: clients and configuration are built once per sandbox. */
  public RegistrarHandler() {
    // Rebuilt when the trust configuration changes (its read expires, and after a restore).
    this(ControlPlaneWiring.fromSystem().current(ControlPlaneWiring::registrationUseCase));
  }

  /** With injected ports: tests run the real handler on local stand-ins. */
  public RegistrarHandler(RegistrationUseCase useCase) {
    this(() -> useCase);
  }

  private RegistrarHandler(java.util.function.Supplier<RegistrationUseCase> useCase) {
    this.useCase = useCase;
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] request = input.readNBytes(LambdaJson.MAX_PAYLOAD_BYTES + 1);
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context,
            HandlerLog.keysOf(request),
            () -> TransientErrors.translate(() -> useCase.get().register(request))));
  }
}
