package dev.cairn.lambda.override;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.override.OverrideUseCase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The override Lambda: the payload is one signed override request ({@code
 * schema/override-request.v1.json}), exactly as {@code cairn override create} wrote it. A refusal
 * is a normal result ({@code "outcome": "refused"} with a stable {@code failure}), not an error:
 * the refusal is recorded, and the caller learns why. Transient AWS failures throw.
 */
public final class OverrideHandler implements RequestStreamHandler {

  private final OverrideUseCase useCase;

  /** INIT: clients and configuration are built once per sandbox. */
  public OverrideHandler() {
    this(new OverrideUseCase(ControlPlaneWiring.fromSystem().overrideServices()));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public OverrideHandler(OverrideUseCase useCase) {
    this.useCase = useCase;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] document = input.readNBytes(LambdaJson.MAX_PAYLOAD_BYTES + 1);
    LambdaJson.write(output, TransientErrors.translate(() -> useCase.submit(document)));
  }
}
