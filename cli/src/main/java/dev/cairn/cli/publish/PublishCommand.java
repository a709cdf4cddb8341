package dev.cairn.cli.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.client.AwsClients;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.AssetRef;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustPolicyException;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.Failure;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn publish}: the CI step that turns a signed cdk.out into a candidate artifact. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a signed cdk.out as a candidate artifact, once.",
      "  1. verify the manifest against the cdk.out and the trust policy (fail-closed);",
      "  2. refuse if the commit is already recorded;",
      "  3. upload every file, then the manifest, to s3://<candidate>/{service}/{commit_sha}/",
      "     (If-None-Match: *, SHA-256 checksums; identical bytes left by an interrupted run are",
      "     accepted, different bytes are refused);",
      "  4. write the candidate record (status=candidate, first environment pending, later ones",
      "     not_deployed, all not_tested) with attribute_not_exists, and its ArtifactPublished",
      "     audit entry, in one DynamoDB transaction."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:published",
      "1:refused (manifest rejected, commit already published, or different bytes already in S3)",
      "2:usage or I/O error"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn publish --service orders --commit $GITHUB_SHA --cdk-out cdk.out \\",
      "      --manifest artifact-manifest.json --candidate-bucket cdk-artifacts-candidate \\",
      "      --table cdk-artifact-metadata --previous-commit $PREVIOUS_SHA",
      "  # against `cairn sandbox up` (after pasting the export lines it prints):",
      "  cairn publish ... --candidate-bucket cdk-artifacts-candidate --table cdk-artifact-metadata"
    })
public final class PublishCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

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
      names = "--table",
      required = true,
      paramLabel = "T",
      description = "The ledger table (cdk-artifact-metadata).")
  String table;

  @Option(
      names = "--previous-commit",
      paramLabel = "SHA",
      description = "previous_commit_sha to record.")
  String previousCommit;

  @Option(
      names = "--trust-policy",
      paramLabel = "FILE",
      defaultValue = "${env:CAIRN_TRUST_POLICY:-trust-policy.json}",
      description =
          "Trust policy the manifest must satisfy (default: $CAIRN_TRUST_POLICY or ${DEFAULT-VALUE}).")
  Path trustPolicyFile;

  @Option(
      names = "--audit-table",
      paramLabel = "T",
      defaultValue = "cdk-audit-log",
      description = "The audit log table (default: ${DEFAULT-VALUE}).")
  String auditTable;

  @Option(
      names = "--environments",
      split = ",",
      paramLabel = "NAME[=REGION]",
      defaultValue = "stage,prod",
      description =
          "Environments in promotion order (from cairn-config; default: ${DEFAULT-VALUE}).")
  List<String> environments;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "cairn-config.v1.json: take the environments (names and regions, in order) from it"
              + " instead of --environments.")
  Path configFile;

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

    // 1. Verify our own manifest first: never publish what the pipeline would reject.
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
          report.toJson(),
          report);
    }
    ArtifactManifest manifest =
        ((ManifestParser.Result.Parsed) ManifestParser.parse(manifestBytes)).manifest();
    List<CandidateRecords.Environment> envs = environments();

    AwsClients clients = aws.clients();
    try (DynamoDbClient dynamoDb = clients.dynamoDb();
        S3Client s3 = clients.s3()) {
      DynamoDbDeploymentLedger ledger =
          new DynamoDbDeploymentLedger(dynamoDb, table, auditTable, clock);
      ArtifactKey key = new ArtifactKey(service, commit);

      // 2. Refuse a second publish before touching S3.
      if (ledger.find(key).isPresent()) {
        return refuse(
            out, err, key + " is already published; a commit is published once", null, null);
      }

      // 3. Upload, never overwriting.
      S3ArtifactStore.Upload upload;
      try {
        upload =
            new S3ArtifactStore(s3, expectedBucketOwner)
                .upload(candidateBucket, service, commit, cdkOut, manifestFile);
      } catch (S3ArtifactStore.ArtifactConflictException e) {
        return refuse(out, err, e.getMessage(), null, null);
      }

      // 4. The candidate record and its audit entry, in one transaction.
      ArtifactRecord candidate = candidate(manifest, upload, envs);
      ArtifactRecord written;
      try {
        written = ledger.create(candidate, new Actor(ActorRole.CI, actorId()));
      } catch (TransitionRefusedException e) {
        return refuse(out, err, e.getMessage(), null, null);
      }
      if (format == OutputFormat.json) {
        ObjectNode o = Json.object();
        o.put("published", true);
        o.put("artifact_url", upload.url());
        o.put("files_uploaded", upload.filesWritten());
        o.put("files_already_present", upload.filesAlreadyPresent());
        o.put("bytes", upload.bytes());
        o.set("record", Json.mapper().valueToTree(written));
        out.println(Json.pretty(o));
      } else {
        out.printf("PUBLISHED %s @ %s%n", service, commit);
        out.printf(
            "  artifact   %s (%d files, %s)%n",
            upload.url(),
            upload.filesWritten() + upload.filesAlreadyPresent(),
            CliIo.bytes(upload.bytes()));
        out.printf(
            "  ledger     %s status=%s version=%d%n", table, written.status(), written.version());
        written
            .environmentStates()
            .forEach(
                (env, st) -> out.printf("  %-10s %s / %s%n", env, st.status(), st.testStatus()));
        out.printf("  audit      %s %s%n", auditTable, written.auditEventIds().get(0));
      }
      out.flush();
      return CairnCli.EXIT_OK;
    }
  }

  private ArtifactRecord candidate(
      ArtifactManifest m, S3ArtifactStore.Upload upload, List<CandidateRecords.Environment> envs) {
    String region = region();
    ArtifactRecord base =
        CandidateRecords.candidate(
            new ArtifactKey(service, commit),
            m.artifactSha256(),
            upload.url(),
            m.buildTime(),
            m.cdkCliVersion(),
            m.cdkContextHash(),
            m.cdkLibraryVersions(),
            m.gitSignatureVerified(),
            previousCommit,
            region,
            envs);
    Map<String, AssetRef> assets = new LinkedHashMap<>();
    m.assets().forEach((id, a) -> assets.put(id, new AssetRef(a.hash(), a.s3Uri(), a.ecrUri())));
    return base.toBuilder()
        .buildDurationSeconds(Math.round(m.buildDurationSeconds()))
        .assets(assets.isEmpty() ? null : assets)
        .build();
  }

  private String region() {
    return aws.region() == null ? "us-east-1" : aws.region();
  }

  /** The environments in promotion order: from --config when given, else --environments. */
  private List<CandidateRecords.Environment> environments() {
    String region = region();
    List<CandidateRecords.Environment> envs = new ArrayList<>();
    if (configFile != null) {
      JsonNode config;
      try {
        config = Json.parse(CliIo.readBytes(configFile, CliIo.Input.CONFIGURATION));
      } catch (IOException e) {
        throw new CliIo.UsageException(
            "configuration " + configFile + " is not valid JSON: " + e.getMessage(), e);
      }
      for (JsonNode env : config.path("environments")) {
        envs.add(
            new CandidateRecords.Environment(
                env.path("name").asText(), env.path("region").asText(region)));
      }
      if (envs.isEmpty()) {
        throw new CliIo.UsageException("configuration " + configFile + " lists no environments");
      }
      return envs;
    }
    for (String e : environments) {
      int eq = e.indexOf('=');
      envs.add(
          eq < 0
              ? new CandidateRecords.Environment(e, region)
              : new CandidateRecords.Environment(e.substring(0, eq), e.substring(eq + 1)));
    }
    return envs;
  }

  private int refuse(
      PrintWriter out, PrintWriter err, String why, JsonNode report, VerificationReport r) {
    if (format == OutputFormat.json) {
      ObjectNode o = Json.object();
      o.put("published", false);
      o.put("reason", why);
      if (report != null) {
        o.set("verification_report", report);
      }
      out.println(Json.pretty(o));
      out.flush();
    } else {
      err.println("REFUSED: " + why);
      if (r != null) {
        for (Failure f : r.failures()) {
          err.printf("  %s %s%n", f.code(), f.detail());
        }
      }
      err.flush();
    }
    return CairnCli.EXIT_FAILED;
  }

  private static String actorId() {
    String run = System.getenv("GITHUB_RUN_ID");
    if (run != null && !run.isBlank()) {
      return "github-actions:"
          + System.getenv().getOrDefault("GITHUB_REPOSITORY", "?")
          + "/runs/"
          + run;
    }
    try {
      return "cairn-cli@" + InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "cairn-cli";
    }
  }
}
