package dev.cairn.lambda.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.aws.sfn.SfnExecutionControl;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.sweep.SweepConfig;
import dev.cairn.core.sweep.SweepUseCase;
import dev.cairn.local.emulators.EventBridgeEmulator;
import dev.cairn.local.emulators.SfnEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real handler with the EventBridge scheduled event, on DynamoDB Local and S3Proxy with the
 * Step Functions and EventBridge fakes: a candidate whose upload event was lost is started.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class SweeperHandlerTest {

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  static final String MACHINE =
      "arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline";

  final Fixtures.MovingClock clock = new Fixtures.MovingClock();
  final SfnEmulator sfn = new SfnEmulator(clock);
  final EventBridgeEmulator bus = new EventBridgeEmulator(clock);
  final dev.cairn.testsupport.RecordingPipelineMetrics recorded =
      new dev.cairn.testsupport.RecordingPipelineMetrics();
  final DynamoDbDeploymentLedger ledger;
  final S3Client s3;
  final LocalBuckets buckets;
  final SweeperHandler handler;
  final DynamoDbClient dynamoDb;
  final LocalTables tables;

  SweeperHandlerTest(DynamoDbClient dynamoDb, LocalTables tables, S3Client s3, LocalBuckets b) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
    this.s3 = s3;
    this.buckets = b;
    this.ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            "chain-" + UUID.randomUUID(),
            clock,
            dev.cairn.aws.dynamodb.Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    this.handler =
        new SweeperHandler(
            new SweepUseCase(
                ledger,
                new S3ArtifactStore(s3, null),
                new SfnExecutionControl(sfn, MACHINE),
                new EventBridgePipelineEvents(
                    bus, "cairn-pipeline", EventBridgePipelineEvents.SWEEPER_SOURCE),
                metrics(),
                Fixtures.chain(),
                SweepConfig.defaults(b.candidate(), b.release()),
                clock));
  }

  JsonNode invoke() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = getClass().getResourceAsStream("/events/scheduled-event.json")) {
      handler.handleRequest(in, out, null);
    }
    return Json.parse(out.toByteArray());
  }

  @Test
  void handleRequest_scheduledEvent_startsTheMissedCandidateOnce() throws Exception {
    // Primed first, as every SnapStart-restored sweeper is: priming calls none of its clients.
    handler.priming().beforeCheckpoint(null);
    assertThat(handler.priming().stepNames())
        .contains("DynamoDB", "S3", "StepFunctions", "EventBridge", "signatures");
    assertThat(sfn.startExecutionRequests()).isEmpty();
    assertThat(bus.events()).isEmpty();
    String commit = Fixtures.commit();
    ArtifactRecord c =
        ledger.create(
            Fixtures.candidate("orders", commit, clock.now), new Actor(ActorRole.CI, "ci"));
    s3.putObject(
        r ->
            r.bucket(buckets.candidate())
                .key(ArtifactLayout.prefix("orders", commit) + ArtifactLayout.MANIFEST_FILE),
        RequestBody.fromString("{}"));
    clock.advance(Duration.ofMinutes(6));

    JsonNode report = invoke();

    assertThat(report.path("started").asInt()).isEqualTo(1);
    var start = sfn.startExecutionRequests().get(0);
    assertThat(start.name())
        .isEqualTo("sweep-stage-" + commit.substring(0, 12) + "-v" + c.version());
    JsonNode input = Json.parse(start.input());
    assertThat(input.path("trigger").asText()).isEqualTo("sweeper");
    assertThat(input.path("environment").asText()).isEqualTo("stage");
    assertThat(input.path("bucket").asText()).isEqualTo(buckets.candidate());
    assertThat(input.path("manifest_key").asText())
        .isEqualTo("orders/" + commit + "/artifact-manifest.json");
    assertThat(bus.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("cairn.sweeper");
              assertThat(e.detailType()).isEqualTo("SweeperTriggered");
            });
    assertThat(recorded.data())
        .filteredOn(d -> d.name().equals("ArtifactNeverPromoted"))
        .extracting(d -> (int) d.value())
        .containsExactly(0);

    // Two minutes later the execution still runs (no lease yet): nothing new starts.
    clock.advance(Duration.ofMinutes(2));
    JsonNode again = invoke();
    assertThat(again.path("started").asInt()).isZero();
    assertThat(again.path("already_started").asInt()).isEqualTo(1);
    assertThat(sfn.startExecutionRequests()).hasSize(1);
  }

  @Test
  void handleRequest_whenDueRecordAlteredInTable_startsNothing_andReportsRecordUnauthenticated()
      throws Exception {
    String commit = Fixtures.commit();
    ledger.create(Fixtures.candidate("orders", commit, clock.now), new Actor(ActorRole.CI, "ci"));
    s3.putObject(
        r ->
            r.bucket(buckets.candidate())
                .key(ArtifactLayout.prefix("orders", commit) + ArtifactLayout.MANIFEST_FILE),
        RequestBody.fromString("{}"));
    // A principal with UpdateItem on the table (not the control plane) rewrites the digest.
    dynamoDb.updateItem(
        r ->
            r.tableName(tables.artifactMetadata())
                .key(
                    java.util.Map.of(
                        "service",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                            "orders"),
                        "commit_sha",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                            commit)))
                .updateExpression("SET artifact_sha256 = :d")
                .expressionAttributeValues(
                    java.util.Map.of(
                        ":d",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                            "f".repeat(64)))));
    clock.advance(Duration.ofMinutes(6));
    int reportedBefore = MACS.refused().size();

    org.assertj.core.api.Assertions.assertThatThrownBy(this::invoke)
        .hasMessageContaining("RECORD_UNAUTHENTICATED");

    // Other tests' records share the table; none of the starts is for the altered record.
    assertThat(sfn.startExecutionRequests())
        .noneMatch(r -> r.name().contains(commit.substring(0, 12)));
    assertThat(MACS.refused().subList(reportedBefore, MACS.refused().size()))
        .singleElement()
        .satisfies(e -> assertThat(e.itemKey()).isEqualTo("orders/" + commit));
  }

  PipelineMetrics metrics() {
    return recorded;
  }
}
