package dev.cairn.lambda.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.evidence.ReleaseEvidenceRecorder;
import dev.cairn.core.finalize.FinalizeUseCase;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.ReadOnlyStackDeployer;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.pipeline.port.StackDeployers;
import dev.cairn.local.emulators.EventBridgeEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real handler with the documented "Step Functions Execution Status Change" event, on DynamoDB
 * Local and S3Proxy (the example cdk.out as the artifact). The stacks answer through a read-only
 * stub here; the sandbox's {@code finalizer-correction} scenario runs the CloudFormation fake. Step
 * Functions is not called at all: how an execution ended is the event's, what it did DynamoDB's.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class FinalizerHandlerTest {

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  static final String ARN =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:s3-1";

  /** The documented event's commit; each test records its own (the tables live per class). */
  static final String EVENT_COMMIT = "4f2a9c1e0b3d4f2a9c1e0b3d4f2a9c1e0b3d4f2a";

  static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
  static final Path CDK_OUT = Path.of("../../examples/hello-service/cdk.out");

  final Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(15)), ZoneOffset.UTC);
  final EventBridgeEmulator bus = new EventBridgeEmulator(clock);
  final dev.cairn.testsupport.RecordingPipelineMetrics metrics =
      new dev.cairn.testsupport.RecordingPipelineMetrics();
  final List<String> roles = new ArrayList<>();
  final DynamoDbDeploymentLedger ledger;
  final LocalBuckets buckets;
  final FinalizerHandler handler;
  final String commit =
      dev.cairn.core.integrity.Sha256.hex(
              UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
          .substring(0, 40);
  final ArtifactKey key = new ArtifactKey("orders", commit);
  final String chainId = "chain-" + UUID.randomUUID();
  final S3Client s3;
  final DynamoDbAuditLog audit;

  /**
   * The candidate's manifest: in the bucket, signed-looking, but no DynamoDB digest vouches for its
   * bytes, so a dead execution's record never copies it.
   */
  final byte[] manifestBytes =
      ("{\"signing_identity\":\"kms:alias/cdk-ci-artifact-signer\","
              + "\"source_ref\":\"refs/heads/main\",\"git_signature_verified\":true}")
          .getBytes(StandardCharsets.UTF_8);

  FinalizerHandlerTest(DynamoDbClient dynamoDb, LocalTables tables, S3Client s3, LocalBuckets b)
      throws Exception {
    this.buckets = b;
    this.s3 = s3;
    this.audit =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chainId, MACS.macs(), MACS.alerts());
    this.ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chainId,
            Clock.fixed(T0, ZoneOffset.UTC),
            dev.cairn.aws.dynamodb.Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    S3ArtifactStore store = new S3ArtifactStore(s3, null);
    Path manifest = Files.createTempFile("manifest", ".json");
    try {
      Files.write(manifest, manifestBytes);
      store.upload(b.candidate(), "orders", commit, CDK_OUT, manifest);
    } finally {
      Files.delete(manifest);
    }
    EnvironmentChain chain =
        new EnvironmentChain(List.of(env("stage", "111111111111"), env("prod", "222222222222")));
    DynamoDbDeploymentLedger finalizerLedger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chainId,
            clock,
            dev.cairn.aws.dynamodb.Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    this.handler =
        new FinalizerHandler(
            new FinalizeUseCase(
                finalizerLedger,
                store,
                stacks(b.candidate()),
                chain,
                new EventBridgePipelineEvents(
                    bus, "cairn-pipeline", EventBridgePipelineEvents.FINALIZER_SOURCE),
                metrics(),
                (project, deploymentId, since) -> java.util.List.of(),
                new ReleaseEvidenceRecorder(finalizerLedger, audit, store, b.release(), clock),
                clock));
  }

  JsonNode invoke() throws Exception {
    return invoke("FAILED", "States.Runtime");
  }

  /**
   * The documented event, as Step Functions sends it for an execution that ended in {@code status}.
   */
  JsonNode invoke(String status, String error) throws Exception {
    String event;
    try (InputStream in =
        getClass().getResourceAsStream("/events/execution-status-change-failed.json")) {
      event =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("${CANDIDATE_BUCKET}", buckets.candidate())
              .replace(EVENT_COMMIT, commit)
              .replace("\"status\": \"FAILED\"", "\"status\": \"" + status + "\"")
              .replace("\"error\": \"States.Runtime\"", "\"error\": \"" + error + "\"");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return Json.parse(out.toByteArray());
  }

  @Test
  void handleRequest_executionDiedAfterDeploy_correctsToDeployed_andIsIdempotent()
      throws Exception {
    // Primed first, as every SnapStart-restored finalizer is: priming calls none of its clients.
    handler.priming().beforeCheckpoint(null);
    assertThat(handler.priming().stepNames()).contains("CloudFormation", "CodeBuild", "STS");
    assertThat(bus.events()).isEmpty();
    assertThat(roles).isEmpty();
    ledger.create(candidate(), new Actor(ActorRole.CI, "ci"));
    ledger.transition(
        new TransitionRequest(
            key,
            new Actor(ActorRole.PIPELINE, "sfn"),
            "LeaseAcquired",
            List.of(
                StateChange.environment(
                    "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            r -> r.executionId(ARN).executionStartedAt(T0),
            null,
            null,
            Map.of()));

    JsonNode first = invoke();

    assertThat(first.path("outcome").asText()).isEqualTo("corrected");
    // Its lease was taken by another actor: no entry proves this execution reached stage.
    assertThat(first.has("evidence_key")).isFalse();
    ArtifactRecord r = ledger.find(key).orElseThrow();
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYED);
    assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.executionCompletedAt()).isEqualTo(Instant.parse("2026-11-22T09:14:00Z"));
    assertThat(r.finalizerRan()).isTrue();
    assertThat(r.finalizerCorrectionApplied()).isTrue();
    assertThat(r.finalizerCorrected()).isTrue();
    assertThat(r.finalizerCorrectedAt()).isEqualTo(Instant.parse("2026-11-22T09:15:00Z"));
    assertThat(bus.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("cairn.finalizer");
              assertThat(e.detailType()).isEqualTo("FinalizerCorrectedMetadata");
            });
    assertThat(metrics.names()).containsExactly("FinalizerCorrected");
    assertThat(roles).containsOnly("arn:aws:iam::111111111111:role/cairn-stage-readonly");

    // EventBridge delivers at least once: the redelivery changes nothing.
    assertThat(invoke().path("outcome").asText()).isEqualTo("unchanged");
    assertThat(ledger.find(key).orElseThrow().version()).isEqualTo(r.version());
    assertThat(bus.events()).hasSize(1);
    assertThat(metrics.names()).hasSize(1);
  }

  @Test
  void handleRequest_watchdogStoppedAfterLease_writesItsReleaseEvidence_once() throws Exception {
    ledger.create(candidate(), new Actor(ActorRole.CI, "ci"));
    leaseAsTheExecution();

    JsonNode first = invoke("ABORTED", "StuckPipelineTerminated");

    String evidenceKey = first.path("evidence_key").asText();
    assertThat(evidenceKey)
        .startsWith("orders/" + commit + "/cairn-evidence/release-evidence-stage-")
        .endsWith(".json");
    byte[] bytes =
        s3.getObjectAsBytes(r -> r.bucket(buckets.release()).key(evidenceKey)).asByteArray();
    JsonNode record = Json.parse(bytes);
    assertThat(schema().validate(record)).isEmpty();
    assertThat(record.path("execution_id").asText()).isEqualTo(ARN);
    assertThat(record.path("outcome").asText()).isEqualTo("execution_aborted");
    assertThat(record.at("/failure/code").asText()).isEqualTo("EXECUTION_ABORTED");
    assertThat(record.at("/failure/blocker_class").asText()).isEqualTo("DEPLOY");
    assertThat(record.at("/failure/error").asText()).isEqualTo("StuckPipelineTerminated");
    assertThat(record.at("/failure/detail").asText())
        .contains("cause: An error occurred while executing the state 'RecordDeploySucceeded'.");
    // Nothing in DynamoDB holds the digest it verified or the change sets it began: both are
    // absent, though the manifest is in the bucket, and the record says why.
    assertThat(record.path("artifact").isNull()).isTrue();
    assertThat(record.path("deploy").isNull()).isTrue();
    assertThat(record.path("tests").isNull()).isTrue();
    // It did reach its lease (after verification), but nothing recorded says what it verified.
    assertThat(record.at("/verification/passed").isNull()).isTrue();
    assertThat(record.at("/unrecorded/verification.passed").asText())
        .startsWith("not recorded before the execution ended");
    assertThat(record.at("/commit/source_ref").isNull()).isTrue();
    assertThat(record.at("/unrecorded/artifact").asText())
        .contains("not recorded before the execution ended");
    assertThat(record.at("/unrecorded/deploy").asText())
        .startsWith("not recorded before the execution ended");
    assertThat(record.at("/unrecorded/tests").asText())
        .startsWith("not recorded before the execution ended");
    assertThat(record.path("audit_entries"))
        .extracting(e -> e.path("action").asText())
        .containsExactly("LeaseAcquired");
    assertThat(recordings())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.at("/actor/role").asText()).isEqualTo("finalizer");
              assertThat(e.at("/details/evidence_key").asText()).isEqualTo(evidenceKey);
              assertThat(e.at("/details/execution_id").asText()).isEqualTo(ARN);
              assertThat(e.at("/details/evidence_sha256").asText())
                  .isEqualTo(dev.cairn.core.integrity.Sha256.hex(bytes));
            });

    // EventBridge redelivers: the record and its entry stay single.
    JsonNode again = invoke("ABORTED", "StuckPipelineTerminated");
    assertThat(again.has("evidence_key")).isFalse();
    assertThat(recordings()).hasSize(1);
    assertThat(evidenceObjects()).containsExactly(evidenceKey);
  }

  @Test
  void handleRequest_executionThatRecordedItself_getsNoSecondRecord() throws Exception {
    ledger.create(candidate(), new Actor(ActorRole.CI, "ci"));
    leaseAsTheExecution();
    // The deployer's record_failure recorded, then the execution failed in its Emit step.
    ledger.annotate(
        key,
        new Actor(ActorRole.PIPELINE, ARN),
        "ReleaseEvidenceRecorded",
        b -> {},
        Map.of("evidence_key", "orders/" + commit + "/cairn-evidence/release-evidence-x.json"));

    JsonNode out = invoke("FAILED", "DeployFailed");

    assertThat(out.has("evidence_key")).isFalse();
    assertThat(evidenceObjects()).isEmpty();
    assertThat(recordings()).hasSize(1);
  }

  @Test
  void handleRequest_executionThatNeverTookTheLease_reachedNoEnvironment_writesNothing()
      throws Exception {
    ledger.create(candidate(), new Actor(ActorRole.CI, "ci"));

    JsonNode out = invoke("ABORTED", "StuckPipelineTerminated");

    assertThat(out.has("evidence_key")).isFalse();
    assertThat(evidenceObjects()).isEmpty();
  }

  /** acquire_lease as the execution writes it: the pipeline actor is the execution ARN. */
  void leaseAsTheExecution() {
    ledger.transition(
        new TransitionRequest(
            key,
            new Actor(ActorRole.PIPELINE, ARN),
            "LeaseAcquired",
            List.of(
                StateChange.environment(
                    "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            r -> r.executionId(ARN).executionStartedAt(T0),
            null,
            null,
            Map.of()));
  }

  List<JsonNode> recordings() {
    List<JsonNode> out = new ArrayList<>();
    audit
        .entries()
        .forEachRemaining(
            e -> {
              if (e.path("action").asText().equals("ReleaseEvidenceRecorded")) {
                out.add(e);
              }
            });
    return out;
  }

  List<String> evidenceObjects() {
    return s3
        .listObjectsV2(
            r ->
                r.bucket(buckets.release())
                    .prefix("orders/" + commit + "/cairn-evidence/release-evidence-"))
        .contents()
        .stream()
        .map(software.amazon.awssdk.services.s3.model.S3Object::key)
        .toList();
  }

  static com.networknt.schema.JsonSchema schema() throws Exception {
    return com.networknt.schema.JsonSchemaFactory.getInstance(
            com.networknt.schema.SpecVersion.VersionFlag.V202012)
        .getSchema(
            Json.parse(Files.readAllBytes(Path.of("../../schema/release-evidence.v1.json"))));
  }

  ArtifactRecord candidate() {
    return CandidateRecords.candidate(
        key,
        "b".repeat(64),
        "s3://" + buckets.candidate() + "/orders/" + commit + "/",
        T0,
        "2.1148.1",
        "c".repeat(64),
        null,
        true,
        null,
        "us-east-1",
        List.of(
            new CandidateRecords.Environment("stage", "us-east-1"),
            new CandidateRecords.Environment("prod", "us-east-1")));
  }

  static EnvironmentPolicy env(String name, String account) {
    return new EnvironmentPolicy(
        name,
        account,
        "us-east-1",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-deploy",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-cfn-exec",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-readonly",
        false,
        null,
        0,
        List.of(),
        0,
        null);
  }

  /** Both stage stacks UPDATE_COMPLETE with this execution's change set executed. */
  StackDeployers stacks(String bucket) {
    String changeSet = DeploymentId.deploy(bucket, commit, "stage", ARN).changeSetName();
    return (env, session) -> {
      roles.add(env.deployRoleArn());
      return new ReadOnlyStackDeployer() {
        @Override
        public Optional<StackState> describeStack(String name) {
          return Optional.of(new StackState(name, "UPDATE_COMPLETE", null));
        }

        @Override
        public Optional<ChangeSetState> describeChangeSet(String stack, String name) {
          return name.equals(changeSet)
              ? Optional.of(
                  new ChangeSetState("CREATE_COMPLETE", null, "EXECUTE_COMPLETE", List.of()))
              : Optional.empty();
        }
      };
    };
  }

  PipelineMetrics metrics() {
    return metrics;
  }
}
