package dev.cairn.lambda.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.finalize.FinalizeUseCase;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.PipelineMetrics;
import dev.cairn.core.pipeline.ReadOnlyStackDeployer;
import dev.cairn.core.pipeline.StackDeployers;
import dev.cairn.testing.DynamoDbLocalExtension;
import dev.cairn.testing.LocalBuckets;
import dev.cairn.testing.LocalTables;
import dev.cairn.testing.S3LocalExtension;
import dev.cairn.testing.fake.FakeEventBridgeClient;
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
 * stub here; the sandbox's {@code finalizer-correction} scenario runs the CloudFormation fake.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class FinalizerHandlerTest {

  private static final dev.cairn.testing.ItemMacKeys MACS = new dev.cairn.testing.ItemMacKeys();

  static final String ARN =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:s3-1";
  static final String COMMIT = "4f2a9c1e0b3d4f2a9c1e0b3d4f2a9c1e0b3d4f2a";
  static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
  static final Path CDK_OUT = Path.of("../../examples/hello-service/cdk.out");

  final Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(15)), ZoneOffset.UTC);
  final FakeEventBridgeClient bus = new FakeEventBridgeClient(clock);
  final dev.cairn.testing.RecordingPipelineMetrics metrics =
      new dev.cairn.testing.RecordingPipelineMetrics();
  final List<String> roles = new ArrayList<>();
  final DynamoDbDeploymentLedger ledger;
  final LocalBuckets buckets;
  final FinalizerHandler handler;
  final ArtifactKey key = new ArtifactKey("orders", COMMIT);

  FinalizerHandlerTest(DynamoDbClient dynamoDb, LocalTables tables, S3Client s3, LocalBuckets b)
      throws Exception {
    this.buckets = b;
    this.ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            "chain-" + UUID.randomUUID(),
            Clock.fixed(T0, ZoneOffset.UTC),
            dev.cairn.aws.dynamodb.Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    S3ArtifactStore store = new S3ArtifactStore(s3, null);
    Path manifest = Files.createTempFile("manifest", ".json");
    Files.writeString(manifest, "{}");
    store.upload(b.candidate(), "orders", COMMIT, CDK_OUT, manifest);
    EnvironmentChain chain =
        new EnvironmentChain(List.of(env("stage", "111111111111"), env("prod", "222222222222")));
    this.handler =
        new FinalizerHandler(
            new FinalizeUseCase(
                new DynamoDbDeploymentLedger(
                    dynamoDb,
                    tables.artifactMetadata(),
                    tables.auditLog(),
                    "chain-" + UUID.randomUUID(),
                    clock,
                    dev.cairn.aws.dynamodb.Contention.defaults(),
                    MACS.macs(),
                    MACS.alerts()),
                store,
                stacks(b.candidate()),
                chain,
                new EventBridgePipelineEvents(
                    bus, "cairn-pipeline", EventBridgePipelineEvents.FINALIZER_SOURCE),
                metrics(),
                (project, deploymentId, since) -> java.util.List.of(),
                clock));
  }

  JsonNode invoke() throws Exception {
    String event;
    try (InputStream in =
        getClass().getResourceAsStream("/events/execution-status-change-failed.json")) {
      event =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("${CANDIDATE_BUCKET}", buckets.candidate());
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
            r -> r.executionId(ARN).executionStartedAt(T0.toString()),
            null,
            null,
            Map.of()));

    JsonNode first = invoke();

    assertThat(first.path("outcome").asText()).isEqualTo("corrected");
    ArtifactRecord r = ledger.find(key).orElseThrow();
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYED);
    assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.executionCompletedAt()).isEqualTo("2026-11-22T09:14:00Z");
    assertThat(r.finalizerRan()).isTrue();
    assertThat(r.finalizerCorrectionApplied()).isTrue();
    assertThat(r.finalizerCorrected()).isTrue();
    assertThat(r.finalizerCorrectedAt()).isEqualTo("2026-11-22T09:15:00Z");
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

  ArtifactRecord candidate() {
    return CandidateRecords.candidate(
        key,
        "b".repeat(64),
        "s3://" + buckets.candidate() + "/orders/" + COMMIT + "/",
        T0.toString(),
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
    String changeSet = DeploymentId.deploy(bucket, COMMIT, "stage", ARN).changeSetName();
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
