package dev.cairn.lambda.verifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.assets.S3EcrAssetDestinations;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.aws.sts.AssumedRoles;
import dev.cairn.core.pipeline.VerifyArtifact;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * The {@code VerifyManifest} state's Lambda (action {@code verify}, docs/pipeline-contract.md). A
 * rejection throws {@code dev.cairn.core.pipeline.ArtifactRejected}, which the state machine routes
 * to {@code InvalidArtifact}.
 */
public final class ManifestVerifierHandler implements RequestStreamHandler {

  private final Supplier<VerifyArtifact> verify;

  /**
   * Primes what a verification touches: the ledger, the artifact and blessed-context buckets, the
   * trust config, item MACs, alerts, the asset destinations' roles and repositories, the event, and
   * the signature providers.
   */
  private final Priming priming =
      Priming.register(
          "manifest-verifier",
          Priming.dynamoDb(),
          Priming.s3(),
          Priming.ssm(),
          Priming.kms(),
          Priming.sns(),
          AssumedRoles.priming(),
          S3EcrAssetDestinations.priming(),
          PowertoolsPipelineMetrics.priming(),
          Priming.event(
              ManifestVerifierHandler.class,
              "priming-event.json",
              e -> {
                HandlerLog.keysOf(e);
                command(e);
              }),
          Priming.signatures(),
          Priming.invocation(
              ManifestVerifierHandler.class,
              "priming-event.json",
              "ArtifactNotRegistered",
              w -> new ManifestVerifierHandler(w.current(ManifestVerifierHandler::wire))));

  /**
   * INIT: clients are built once per sandbox; the verifier is rebuilt when the trust configuration,
   * re-read with its TTL, changed, so a revoked signer key stops verifying within the TTL.
   */
  public ManifestVerifierHandler() {
    this(ControlPlaneWiring.fromSystem().current(ManifestVerifierHandler::wire));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public ManifestVerifierHandler(VerifyArtifact verify) {
    this(() -> verify);
  }

  private ManifestVerifierHandler(Supplier<VerifyArtifact> verify) {
    this.verify = verify;
  }

  /** The production composition: every expectation required (VerifierOptions.pipeline()). */
  public static VerifyArtifact wire(ControlPlaneWiring w) {
    return new VerifyArtifact(
        w.artifactStore(),
        w.ledger(),
        w.blessedContexts(),
        w.config().trustPolicy(),
        w.metrics(),
        VerifierOptions.pipeline(),
        w.config().chain(),
        S3EcrAssetDestinations.of(w),
        w.clock());
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ObjectNode payload = LambdaJson.readObject(input);
    LambdaJson.write(
        output,
        HandlerLog.invocation(context, HandlerLog.keysOf(payload), () -> verified(payload)));
  }

  private ObjectNode verified(ObjectNode payload) {
    VerifyArtifact.Command command = command(payload);
    return TransientErrors.translate(() -> verify.get().verify(command, ProgressListener.NONE));
  }

  private static VerifyArtifact.Command command(ObjectNode payload) {
    if (!"verify".equals(payload.path("action").asText())) {
      throw new IllegalArgumentException("the manifest-verifier answers action \"verify\" only");
    }
    return new VerifyArtifact.Command(
        text(payload, "service"),
        text(payload, "commit_sha"),
        text(payload, "environment"),
        text(payload, "bucket"),
        text(payload, "manifest_key"));
  }

  private static String text(ObjectNode payload, String field) {
    String v = payload.path(field).asText(null);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("the payload has no \"" + field + "\"");
    }
    return v;
  }
}
