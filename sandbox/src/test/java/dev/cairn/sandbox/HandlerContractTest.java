package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.pipeline.ArtifactRejected;
import dev.cairn.core.pipeline.DuplicateExecution;
import dev.cairn.core.pipeline.PipelineError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The handlers' contract with the state machine: real payload JSON in (the lambda:invoke Payload
 * shapes of docs/pipeline-contract.md), stable error names out, and malformed events refused
 * without touching the ledger.
 */
class HandlerContractTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static SandboxWorld world;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    world = new SandboxWorld(ExecutionListener.none());
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  static String event(String name, String commit) throws Exception {
    return Files.readString(Path.of("src/test/resources/events/" + name))
        .replace("${COMMIT}", commit);
  }

  static JsonNode invoke(RequestStreamHandler handler, String json) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
    return Json.parse(out.toByteArray());
  }

  @Test
  void everyErrorTheDefinitionMatchesOn_isAPipelineErrorClass_andEveryPipelineErrorIsMatched()
      throws Exception {
    JsonNode asl =
        Json.parse(
            Files.readAllBytes(REPO.resolve("statemachines/deploy-artifact-pipeline.asl.json")));
    Set<String> names = new TreeSet<>();
    asl.get("States")
        .forEach(
            s -> {
              for (String key : new String[] {"Retry", "Catch"}) {
                s.path(key).forEach(r -> r.path("ErrorEquals").forEach(e -> names.add(e.asText())));
              }
            });
    Set<String> ours = new TreeSet<>();
    for (String n : names) {
      if (n.startsWith("dev.cairn.")) {
        Class<?> c = Class.forName(n);
        assertThat(PipelineError.class).as(n).isAssignableFrom(c);
        ours.add(c.getSimpleName());
      } else {
        assertThat(n)
            .as("AWS-defined error name")
            .matches("States\\.[A-Za-z]+|(Lambda|CodeBuild|EventBridge|SNS)\\.[A-Za-z]+");
      }
    }
    assertThat(ours)
        .containsExactlyInAnyOrder(
            "DuplicateExecution",
            "ApprovalsPending",
            "DriftDetected",
            "TransientError",
            "ArtifactNotRegistered");
    // ArtifactRejected and DeployFailed reach their phase's States.ALL catcher; the Record* state
    // then tells a rejection from an outage by error.Error (docs/pipeline-contract.md).
    assertThat(asl.at("/States/VerifyManifest/Catch/0/ErrorEquals/0").asText())
        .isEqualTo("States.ALL");
    assertThat(asl.at("/States/VerifyManifest/Catch/0/Next").asText())
        .isEqualTo("RecordInvalidArtifact");
    // The Java Lambda runtime reports the fully qualified class name as errorType.
    assertThat(new ArtifactRejected("x").errorName())
        .isEqualTo("dev.cairn.core.pipeline.ArtifactRejected");
  }

  @Test
  void verify_withRealPayload_returnsTheDigestAndStoresTheReport() throws Exception {
    String commit = "1111111111111111111111111111111111111111";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});

    JsonNode out = invoke(world.verifier, event("verify.json", commit));

    ArtifactRecord record =
        world.ledger.find(new ArtifactKey(SandboxWorld.SERVICE, commit)).orElseThrow();
    assertThat(out.path("artifact_sha256").asText()).isEqualTo(record.artifactSha256());
    // Gate 8 checked the example's assets at their destinations: the execution carries that.
    assertThat(out.path("asset_verification_passed").asBoolean()).isTrue();
    // Named by its content: the candidate bucket is write-once.
    assertThat(out.path("report_key").asText())
        .matches(
            java.util.regex.Pattern.quote(
                    ArtifactLayout.prefix(SandboxWorld.SERVICE, commit)
                        + "cairn-evidence/verification-report-stage-")
                + "[0-9a-f]{16}\\.json");
    // The evidence the execution carries: what was verified, at which S3 versions.
    JsonNode evidence = out.path("evidence");
    assertThat(evidence.path("bucket").asText()).isEqualTo(SandboxWorld.CANDIDATE);
    assertThat(evidence.path("artifact_sha256").asText()).isEqualTo(record.artifactSha256());
    String manifestKey =
        ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + "artifact-manifest.json";
    var manifest =
        world.s3.getObjectAsBytes(r -> r.bucket(SandboxWorld.CANDIDATE).key(manifestKey));
    assertThat(evidence.path("manifest_version_id").asText())
        .isEqualTo(manifest.response().versionId());
    assertThat(evidence.path("manifest_sha256").asText())
        .isEqualTo(dev.cairn.core.integrity.Sha256.hex(manifest.asByteArray()));
    java.util.Set<String> files = new java.util.TreeSet<>();
    evidence.path("object_versions").fieldNames().forEachRemaining(files::add);
    assertThat(files)
        .contains("manifest.json", "hello-stage-api.template.json")
        .noneMatch(f -> f.startsWith("cairn-evidence/") || f.equals("artifact-manifest.json"));
    String templateKey =
        ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + "hello-stage-api.template.json";
    assertThat(evidence.at("/object_versions/hello-stage-api.template.json").asText())
        .isEqualTo(
            world
                .s3
                .headObject(r -> r.bucket(SandboxWorld.CANDIDATE).key(templateKey))
                .versionId());
    JsonNode report =
        Json.parse(
            world
                .s3
                .getObjectAsBytes(
                    r -> r.bucket(SandboxWorld.CANDIDATE).key(out.path("report_key").asText()))
                .asByteArray());
    assertThat(report.path("verdict").asText()).isEqualTo("accepted");
  }

  @Test
  void verify_whenAFileWasReplaced_throwsArtifactRejectedNamingGateAndCode() throws Exception {
    String commit = "2222222222222222222222222222222222222222";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});
    world.s3.putObject(
        r ->
            r.bucket(SandboxWorld.CANDIDATE)
                .key(ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + "manifest.json"),
        RequestBody.fromString("{\"version\":\"54.0.0\",\"artifacts\":{}}"));

    assertThatThrownBy(() -> invoke(world.verifier, event("verify.json", commit)))
        .isInstanceOf(ArtifactRejected.class)
        .hasMessageStartingWith("FILE_INTEGRITY: FILE_MODIFIED: manifest.json");
  }

  @Test
  void verify_whenThePublishedLambdaZipDiffers_rejectsAtTheAssetGate() throws Exception {
    String commit = "5555555555555555555555555555555555555555";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});
    // Someone replaces the Lambda code in stage's CDK asset bucket after cdk-assets published it.
    String bucket = SandboxWorld.assetBucket(world.chain.get("stage"));
    String zipKey =
        world.s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream()
            .map(o -> o.key())
            .filter(k -> k.endsWith(".zip"))
            .findFirst()
            .orElseThrow();
    byte[] original = world.s3.getObjectAsBytes(r -> r.bucket(bucket).key(zipKey)).asByteArray();
    try {
      world.s3.putObject(
          r -> r.bucket(bucket).key(zipKey),
          RequestBody.fromBytes(
              SandboxWorld.zip(
                  Files.writeString(
                          Files.createDirectory(tmp.resolve("evil")).resolve("index.js"),
                          "exports.handler = async () => ({ statusCode: 200, body: 'pwned' });")
                      .getParent())));

      assertThatThrownBy(() -> invoke(world.verifier, event("verify.json", commit)))
          .isInstanceOf(ArtifactRejected.class)
          .hasMessageStartingWith("ASSET_INTEGRITY: ASSET_DESTINATION_HASH_MISMATCH");
      JsonNode report =
          Json.parse(
              world
                  .s3
                  .getObjectAsBytes(
                      r ->
                          r.bucket(SandboxWorld.CANDIDATE)
                              .key(
                                  world
                                      .s3
                                      .listObjectsV2(
                                          l ->
                                              l.bucket(SandboxWorld.CANDIDATE)
                                                  .prefix(
                                                      ArtifactLayout.prefix(
                                                              SandboxWorld.SERVICE, commit)
                                                          + "cairn-evidence/verification-report-stage-"))
                                      .contents()
                                      .get(0)
                                      .key()))
                  .asByteArray());
      assertThat(report.path("verdict").asText()).isEqualTo("rejected");
      assertThat(world.emf.documents()).anyMatch(d -> d.metric().equals("AssetHashMismatch"));
    } finally {
      // The world is shared by this class: put the published asset back.
      world.s3.putObject(r -> r.bucket(bucket).key(zipKey), RequestBody.fromBytes(original));
    }
  }

  /** A create_change_sets payload as the ASL builds it, with {@code evidence} when non-null. */
  private static String createChangeSets(String commit, JsonNode evidence) {
    com.fasterxml.jackson.databind.node.ObjectNode p = Json.object();
    p.put("action", "create_change_sets");
    p.put("service", SandboxWorld.SERVICE);
    p.put("commit_sha", commit);
    p.put("environment", "stage");
    p.put(
        "execution_id",
        "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:s3-1");
    p.put("bucket", SandboxWorld.CANDIDATE);
    p.put(
        "manifest_key",
        ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + "artifact-manifest.json");
    p.put("deploy_role_arn", world.chain.get("stage").deployRoleArn());
    if (evidence != null) {
      p.set("evidence", evidence);
    }
    return Json.compact(p);
  }

  @Test
  void createChangeSets_withoutTheExecutionsEvidence_isRefusedEvidenceMissing() throws Exception {
    String commit = "6666666666666666666666666666666666666666";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});

    assertThatThrownBy(() -> invoke(world.deployer, createChangeSets(commit, null)))
        .isInstanceOf(dev.cairn.core.pipeline.EvidenceRefused.class)
        .hasMessageStartingWith("EVIDENCE_MISSING");
  }

  @Test
  void createChangeSets_whenTheSignedArtifactShipsAnAllowStackPolicy_isRefused() throws Exception {
    String commit = "7777777777777777777777777777777777777777";
    world.publish(
        REPO.resolve("examples/hello-service/cdk.out"),
        commit,
        d -> {
          try {
            Files.writeString(
                d.resolve("cairn-stack-policy.json"),
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Update:*\","
                    + "\"Principal\":\"*\",\"Resource\":\"*\"}]}");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    // Signed and verified: the artifact is intact, its policy is what is refused.
    JsonNode verified = invoke(world.verifier, event("verify.json", commit));
    assertThat(verified.at("/evidence/object_versions").has("cairn-stack-policy.json")).isTrue();

    assertThatThrownBy(
            () -> invoke(world.deployer, createChangeSets(commit, verified.path("evidence"))))
        .isInstanceOf(dev.cairn.core.pipeline.EvidenceRefused.class)
        .hasMessageStartingWith("STACK_POLICY_ALLOW_REFUSED");
    assertThat(
            world
                .cloudFormation
                .forAccount(SandboxWorld.STAGE_ACCOUNT)
                .requests(
                    software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest
                        .class))
        .as("nothing reached CloudFormation")
        .noneMatch(r -> r.tags().stream().anyMatch(t -> t.value().equals(commit)));
  }

  @Test
  void acquireLease_twice_secondIsDuplicateExecution() throws Exception {
    String commit = "3333333333333333333333333333333333333333";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});

    JsonNode lease = invoke(world.deployer, event("acquire-lease.json", commit));
    String other = event("acquire-lease.json", commit).replace("s3-1", "sweep-1");

    assertThat(lease.at("/policy/final_environment").asBoolean()).isFalse();
    assertThat(lease.at("/policy/next_environment").asText()).isEqualTo("prod");
    // The same execution retrying gets its lease back; another execution does not.
    assertThat(
            invoke(world.deployer, event("acquire-lease.json", commit)).path("lease_id").asText())
        .isEqualTo(lease.path("lease_id").asText());
    assertThatThrownBy(() -> invoke(world.deployer, other)).isInstanceOf(DuplicateExecution.class);
  }

  @Test
  void malformedEvents_areRefused_andTheLedgerIsUnchanged() throws Exception {
    String commit = "4444444444444444444444444444444444444444";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});
    ArtifactRecord before =
        world.ledger.find(new ArtifactKey(SandboxWorld.SERVICE, commit)).orElseThrow();

    assertThatThrownBy(
            () -> invoke(world.deployer, event("acquire-lease-missing-commit.json", commit)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commit_sha");
    assertThatThrownBy(() -> invoke(world.deployer, event("unknown-action.json", commit)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown deployer action");
    assertThatThrownBy(() -> invoke(world.deployer, "[1,2,3]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> invoke(world.deployer, "{\"action\":\"acquire_lease\",\"action\":\"promote\"}"))
        .hasMessageContaining("Duplicate field");

    assertThat(world.ledger.find(new ArtifactKey(SandboxWorld.SERVICE, commit)).orElseThrow())
        .isEqualTo(before);
  }
}
