package dev.cairn.lambda.anchorer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.cloudtrail.CloudTrailLakeAnchorTrail;
import dev.cairn.aws.sns.SnsAnchorPublisher;
import dev.cairn.core.anchor.Anchors;
import dev.cairn.core.anchor.AuditAnchorer;
import dev.cairn.core.anchor.port.AnchorMetrics;
import dev.cairn.core.anchor.port.AnchorTrail;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudtraildata.CloudTrailDataClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The anchorer handler on DynamoDB Local (audit log) and S3Proxy (anchors, If-None-Match). */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class AuditAnchorerHandlerTest {

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
  static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:audit-anchor-publish";

  static JsonNode invoke(AuditAnchorerHandler h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    h.handleRequest(
        new ByteArrayInputStream(
            "{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled Event\"}"
                .getBytes(StandardCharsets.UTF_8)),
        out,
        null);
    return Json.parse(out.toByteArray());
  }

  static void append(DynamoDbAuditLog log, String action, ActorRole role) {
    log.append(
        new AuditEvent(
            NOW,
            new Actor(role, "test"),
            action,
            new ArtifactKey("orders", "0123456789abcdef0123456789abcdef01234567"),
            null,
            null,
            List.of(),
            null,
            null,
            Map.of()));
  }

  @Test
  void anchors_writeOncePerSequence_heartbeatWhenIdle(
      DynamoDbClient dynamoDb, LocalTables tables, S3Client s3, LocalBuckets buckets)
      throws Exception {
    String chain = "test-" + UUID.randomUUID();
    java.util.concurrent.atomic.AtomicInteger heartbeats =
        new java.util.concurrent.atomic.AtomicInteger();
    DynamoDbAuditLog log =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chain, MACS.macs(), MACS.alerts());
    S3AnchorStore store = new S3AnchorStore(s3, buckets.auditAnchors(), null);
    SnsEmulator sns = new SnsEmulator();
    AuditAnchorerHandler handler = handler(log, store, sns, heartbeats::incrementAndGet);

    for (int i = 0; i < 11; i++) {
      append(log, "ArtifactPublished", ActorRole.CI);
    }
    append(log, "OverrideApplied", ActorRole.OPERATOR);
    JsonNode first = invoke(handler);
    JsonNode idle = invoke(handler);
    append(log, "LeaseAcquired", ActorRole.PIPELINE);
    JsonNode second = invoke(handler);

    assertThat(first.path("kind").asText()).isEqualTo("anchor");
    assertThat(first.path("object_key").asText())
        .isEqualTo("audit-log-anchors/" + chain + "/00000000000000000012.json");
    assertThat(first.at("/high_privilege_actions/count").asInt()).isEqualTo(1);
    assertThat(idle.path("kind").asText()).isEqualTo("heartbeat");
    assertThat(second.path("object_key").asText()).endsWith("00000000000000000013.json");
    // Lexical order is sequence order: 13 after 12 (and after 9, had there been one).
    assertThat(store.latest(chain).orElseThrow().path("sequence").asLong()).isEqualTo(13);
    assertThat(store.all(chain)).hasSize(2);
    assertThat(sns.published()).hasSize(3);
    // Every run that published counted as alive, the idle heartbeat run included.
    assertThat(heartbeats.get()).isEqualTo(3);
    assertThat(sns.published().get(1).attributes()).containsEntry("kind", "heartbeat");
    assertThat(Json.parse(sns.published().get(0).message())).isEqualTo(first);

    // Write-once: the same key again is refused by S3 (If-None-Match: *), the object unchanged.
    ObjectNode forged = ((ObjectNode) first).deepCopy().put("log_hash", "f".repeat(64));
    assertThat(store.putIfAbsent(first.path("object_key").asText(), forged)).isFalse();
    assertThat(store.get(first.path("object_key").asText()).orElseThrow()).isEqualTo(first);
    assertThat(Anchors.sealed(store.get(first.path("object_key").asText()).orElseThrow())).isTrue();
  }

  @Test
  void cloudTrailLake_request_carriesTheAnchorAsACustomEvent() {
    ObjectNode anchor = Json.object();
    anchor.put("kind", "anchor").put("sequence", 12).put("anchored_at", "2026-11-22T09:10:00Z");
    Anchors.seal(anchor);
    var request =
        new CloudTrailLakeAnchorTrail(
                CloudTrailDataClient.builder()
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .httpClientBuilder(
                        software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                    .credentialsProvider(
                        software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider
                            .create())
                    .build(),
                "arn:aws:cloudtrail:us-east-1:000000000000:channel/abc",
                "cairn-audit-anchorer")
            .request(anchor);

    assertThat(request.channelArn()).endsWith("channel/abc");
    assertThat(request.auditEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.id()).isEqualTo(anchor.path("anchor_hash").asText());
              JsonNode data;
              try {
                data = Json.parse(e.eventData());
              } catch (java.io.IOException ex) {
                throw new AssertionError(ex);
              }
              assertThat(data.path("eventName").asText()).isEqualTo("AuditAnchorPublished");
              assertThat(data.path("eventSource").asText()).isEqualTo("cairn.audit-anchorer");
              assertThat(data.path("version").asText()).isEqualTo("1.0");
              assertThat(data.path("additionalEventData")).isEqualTo(anchor);
            });
  }

  @Test
  void primed_thenAnchorsAsUnprimed_withoutACallOfItsOwnClients(
      DynamoDbClient dynamoDb, LocalTables tables, S3Client s3, LocalBuckets buckets)
      throws Exception {
    String chain = "test-" + UUID.randomUUID();
    DynamoDbAuditLog log =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chain, MACS.macs(), MACS.alerts());
    S3AnchorStore store = new S3AnchorStore(s3, buckets.auditAnchors(), null);
    SnsEmulator sns = new SnsEmulator();
    AuditAnchorerHandler handler = handler(log, store, sns, () -> {});
    append(log, "ArtifactPublished", ActorRole.CI);

    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames()).contains("DynamoDB", "S3", "SNS", "CloudTrailData");
    assertThat(sns.published()).isEmpty();
    assertThat(store.all(chain)).isEmpty();
    JsonNode anchor = invoke(handler);
    assertThat(anchor.path("kind").asText()).isEqualTo("anchor");
    assertThat(anchor.path("object_key").asText())
        .isEqualTo("audit-log-anchors/" + chain + "/00000000000000000001.json");
    assertThat(sns.published()).hasSize(1);
  }

  /** The handler on {@code log}, {@code store} and {@code sns}, ten minutes after {@code NOW}. */
  private static AuditAnchorerHandler handler(
      DynamoDbAuditLog log, S3AnchorStore store, SnsEmulator sns, AnchorMetrics heartbeat) {
    return new AuditAnchorerHandler(
        new AuditAnchorer(
            log,
            store,
            new SnsAnchorPublisher(sns, TOPIC),
            AnchorTrail.NONE,
            heartbeat,
            gauges -> {},
            "prod",
            Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC)));
  }
}
