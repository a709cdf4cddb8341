package dev.cairn.cli.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.client.AwsClients;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustPolicyException;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code cairn publish}: the CI step that turns a signed cdk.out into a candidate artifact. CI
 * writes no ledger: the registrar Lambda records the candidate from the manifest it reads and
 * verifies itself (docs/decisions/2026-12-06-ci-writes-no-ledger.md).
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a signed cdk.out as a candidate artifact, once.",
      "  1. verify the manifest against the cdk.out and the trust policy (fail-closed);",
      "  2. upload every file, then the manifest, to s3://<candidate>/{service}/{commit_sha}/",
      "     (If-None-Match: *, SHA-256 checksums; identical bytes left by an interrupted run are",
      "     accepted, different bytes are refused);",
      "  3. invoke the registrar Lambda with {service, commit_sha}: it reads the manifest from the",
      "     bucket, verifies its signature against the installation's trust policy, and writes the",
      "     candidate record (status=candidate, first environment pending, later ones",
      "     not_deployed, all not_tested) and its ArtifactPublished audit entry in one",
      "     transaction. CI needs no DynamoDB permission. Registering the same manifest again is",
      "     idempotent; the registrar refuses a different one (REGISTRATION_CONFLICT)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:published (or already published with these exact bytes)",
      "1:refused (manifest rejected, different bytes already in S3, or the registrar refused:",
      "  REGISTRATION_MALFORMED, REGISTRATION_MANIFEST_MISSING, REGISTRATION_MANIFEST_REJECTED,",
      "  REGISTRATION_CONFLICT)",
      "2:usage, I/O or invocation error"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn publish --service orders --commit $GITHUB_SHA --cdk-out cdk.out \\",
      "      --manifest artifact-manifest.json --candidate-bucket cdk-artifacts-candidate",
      "  # a registrar deployed under another name:",
      "  cairn publish ... --registrar-function arn:aws:lambda:us-east-1:123456789012:function:x:live"
    })
public final class PublishCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Option(
      names = "--mac-key",
      paramLabel = "KEY",
      defaultValue = RecordMacOptions.DEFAULT_ALIAS,
      description =
          "The record MAC key the candidate record and its audit entry are sealed with (needs"
              + " kms:GenerateMac, which only the control plane's writers hold). Default:"
              + " ${DEFAULT-VALUE}.")
  String macKey;

  @Option(
      names = "--service",
      required = true,
      description = "Service name (the ledger's partition key).")
  String service;

  @Option(names = "--commit", required = true, paramLabel = "SHA", description = "Full commit SHA.")
  String commit;

  @Option(
      names = "--cdk-out",
      required = true,
      paramLabel = "DIR",
      description = "The cloud assembly.")
  Path cdkOut;

  @Option(
      names = "--manifest",
      required = true,
      paramLabel = "FILE",
      description = "The signed artifact-manifest.json.")
  Path manifestFile;

  @Option(
      names = "--candidate-bucket",
      required = true,
      paramLabel = "B",
      description = "The candidate bucket.")
  String candidateBucket;

  @Option(
      names = "--registrar-function",
      paramLabel = "F",
      defaultValue = REGISTRAR_FUNCTION,
      description =
          "The registrar Lambda (name, alias or ARN) CI may invoke (default: ${DEFAULT-VALUE},"
              + " the synthesized function's live alias).")
  String registrarFunction;

  @Option(
      names = "--trust-policy",
      paramLabel = "FILE",
      defaultValue = "${env:CAIRN_TRUST_POLICY:-trust-policy.json}",
      description =
          "Trust policy the manifest must satisfy (default: $CAIRN_TRUST_POLICY or ${DEFAULT-VALUE}).")
  Path trustPolicyFile;

  @Option(
      names = "--expected-bucket-owner",
      paramLabel = "ACCOUNT",
      description = "Send ExpectedBucketOwner on every S3 call (recommended in AWS).")
  String expectedBucketOwner;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  /** The CDK app's registrar (CairnNames.REGISTRAR_FUNCTION) and its live alias. */
  static final String REGISTRAR_FUNCTION = "cairn-registrar:live";

  private final Clock clock;

  public PublishCommand() {
    this(Clock.systemUTC());
  }

  PublishCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(cdkOut)) {
      throw new CliIo.UsageException("--cdk-out " + cdkOut + " is not a directory");
    }
    TrustPolicy policy;
    try {
      policy = TrustPolicy.parse(CliIo.readBytes(trustPolicyFile, CliIo.Input.TRUST_POLICY));
    } catch (TrustPolicyException e) {
      throw new CliIo.UsageException("trust policy " + trustPolicyFile + ": " + e.getMessage(), e);
    }
    byte[] manifestBytes = CliIo.readBytes(manifestFile, CliIo.Input.MANIFEST);

    // 1. Verify our own manifest first: never upload what the pipeline would reject.
    VerificationReport report =
        new ArtifactVerifier(policy, VerifierOptions.local(), clock)
            .verify(
                manifestBytes,
                LocalDirectoryArtifactSource.forVerification(cdkOut, manifestFile),
                new Expectations(service, commit, null, null),
                ProgressListener.NONE);
    if (!report.accepted()) {
      return refuse(
          out,
          err,
          "manifest rejected at " + report.firstFailure().gate(),
          null,
          report.toJson(),
          report);
    }

    AwsClients clients = aws.clients();
    try (S3Client s3 = clients.s3();
        LambdaClient lambda = clients.configure(LambdaClient.builder()).build()) {
      // 2. Upload, never overwriting.
      S3ArtifactStore.Upload upload;
      try {
        upload =
            new S3ArtifactStore(s3, expectedBucketOwner)
                .upload(candidateBucket, service, commit, cdkOut, manifestFile);
      } catch (S3ArtifactStore.ArtifactConflictException e) {
        return refuse(out, err, e.getMessage(), null, null, null);
      }

      // 3. The registrar records the candidate from the manifest it reads itself.
      JsonNode answer = register(lambda);
      if (!"registered".equals(answer.path("outcome").asText())) {
        return refuse(
            out,
            err,
            "the registrar refused: " + answer.path("detail").asText(),
            answer,
            null,
            null);
      }
      boolean again = answer.path("already_registered").asBoolean();
      if (format == OutputFormat.json) {
        ObjectNode o = Json.object();
        o.put("published", true);
        o.put("artifact_url", upload.url());
        o.put("files_uploaded", upload.filesWritten());
        o.put("files_already_present", upload.filesAlreadyPresent());
        o.put("bytes", upload.bytes());
        o.set("registration", answer);
        out.println(Json.pretty(o));
      } else {
        out.printf("%s %s @ %s%n", again ? "ALREADY PUBLISHED" : "PUBLISHED", service, commit);
        out.printf(
            "  artifact   %s (%d files, %s)%n",
            upload.url(),
            upload.filesWritten() + upload.filesAlreadyPresent(),
            CliIo.bytes(upload.bytes()));
        out.printf(
            "  ledger     registered by %s: status=%s version=%d%n",
            registrarFunction, answer.path("status").asText(), answer.path("version").asLong());
        answer
            .path("environment_states")
            .fields()
            .forEachRemaining(
                e ->
                    out.printf(
                        "  %-10s %s / %s%n",
                        e.getKey(),
                        e.getValue().path("status").asText(),
                        e.getValue().path("test_status").asText()));
        out.printf("  audit      %s%n", answer.path("audit_event_id").asText());
      }
      out.flush();
      return CairnCli.EXIT_OK;
    }
  }

  /** Invokes the registrar (RequestResponse) with the key and nothing else. */
  private JsonNode register(LambdaClient lambda) {
    ObjectNode request = Json.object();
    request.put("service", service);
    request.put("commit_sha", commit);
    var resp =
        lambda.invoke(
            r ->
                r.functionName(registrarFunction)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromUtf8String(Json.compact(request))));
    if (resp.functionError() != null) {
      throw new CliIo.UsageException(
          "the registrar failed ("
              + resp.functionError()
              + "), the artifact is uploaded but not registered; run publish again: "
              + resp.payload().asUtf8String());
    }
    try {
      return Json.parse(resp.payload().asByteArray());
    } catch (IOException e) {
      throw new CliIo.UsageException("the registrar answered with invalid JSON", e);
    }
  }

  private int refuse(
      PrintWriter out,
      PrintWriter err,
      String why,
      JsonNode registration,
      JsonNode report,
      VerificationReport r) {
    if (format == OutputFormat.json) {
      ObjectNode o = Json.object();
      o.put("published", false);
      o.put("reason", why);
      if (registration != null) {
        o.put("failure", registration.path("failure").asText());
        o.set("registration", registration);
      }
      if (report != null) {
        o.set("verification_report", report);
      }
      out.println(Json.pretty(o));
      out.flush();
    } else {
      err.println("REFUSED: " + why);
      if (registration != null) {
        err.printf(
            "  %s %s%n",
            registration.path("failure").asText(), registration.path("summary").asText());
      }
      if (r != null) {
        for (Failure f : r.failures()) {
          err.printf("  %s %s%n", f.code(), f.detail());
        }
      }
      err.flush();
    }
    return CairnCli.EXIT_FAILED;
  }
}
