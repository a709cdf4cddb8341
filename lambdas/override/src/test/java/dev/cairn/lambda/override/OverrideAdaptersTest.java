package dev.cairn.lambda.override;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.events.AwsOverrideNotifier;
import dev.cairn.aws.idempotency.DynamoDbApprovalStore;
import dev.cairn.aws.idempotency.DynamoDbBreakGlassStore;
import dev.cairn.aws.idempotency.DynamoDbNonceStore;
import dev.cairn.aws.override.SsmBreakGlassFlag;
import dev.cairn.aws.sfn.SfnPipelineStarter;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.BreakGlassFlagState;
import dev.cairn.core.override.StoredBreakGlass;
import dev.cairn.local.emulators.EventBridgeEmulator;
import dev.cairn.local.emulators.SfnEmulator;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The override Lambda's adapters on DynamoDB Local and the honest fakes. */
@ExtendWith(DynamoDbLocalExtension.class)
class OverrideAdaptersTest {

  static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final ArtifactKey KEY =
      new ArtifactKey("orders", "0123456789abcdef0123456789abcdef01234567");

  @Test
  void nonce_claimedTwice_isRefusedTheSecondTimeAndExpiresByTtl(
      DynamoDbClient dynamoDb, LocalTables tables) {
    DynamoDbNonceStore nonces = new DynamoDbNonceStore(dynamoDb, tables.idempotency());
    // Far ahead of the wall clock: DynamoDB Local may delete an item whose TTL has passed, and
    // NOW is a fixed date in the past.
    Instant keepUntil =
        Instant.now()
            .plus(java.time.Duration.ofDays(30))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    assertThat(nonces.claim("nonce-aaaaaaaaaaaaaaaa", keepUntil)).isTrue();
    assertThat(nonces.claim("nonce-aaaaaaaaaaaaaaaa", keepUntil)).isFalse();
    assertThat(nonces.claim("nonce-bbbbbbbbbbbbbbbb", keepUntil)).isTrue();

    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(tables.idempotency())
                        .key(
                            Map.of(
                                "id",
                                AttributeValue.fromS("override-nonce#nonce-aaaaaaaaaaaaaaaa"))))
            .item();
    assertThat(item.get("expiration").n()).isEqualTo(Long.toString(keepUntil.getEpochSecond()));
  }

  @Test
  void approvals_countDistinctKeys(DynamoDbClient dynamoDb, LocalTables tables) {
    DynamoDbApprovalStore approvals =
        new DynamoDbApprovalStore(dynamoDb, tables.idempotency(), CLOCK);

    assertThat(approvals.approvers(KEY, "prod")).isEmpty();
    assertThat(approvals.record(KEY, "prod", "sha256:alice", doc("alice-1")))
        .containsExactly("sha256:alice");
    assertThat(approvals.record(KEY, "prod", "sha256:alice", doc("alice-2")))
        .containsExactly("sha256:alice");
    assertThat(approvals.record(KEY, "prod", "sha256:bob", doc("bob-1")))
        .containsExactlyInAnyOrder("sha256:alice", "sha256:bob");
    assertThat(approvals.approvers(KEY, "stage")).isEmpty();
    // The signed document is kept per key; a later approval from the same key replaces it.
    assertThat(new String(approvals.approvals(KEY, "prod").get("sha256:alice"), UTF_8))
        .isEqualTo("{\"approval\":\"alice-2\"}");
    assertThat(approvals.approvers(KEY, "prod")).hasSize(2);
  }

  private static byte[] doc(String id) {
    return ("{\"approval\":\"" + id + "\"}").getBytes(UTF_8);
  }

  @Test
  void breakGlassFlag_isOnOnlyForEnabledTrueWithAFutureExpiry() {
    SsmEmulator ssm = new SsmEmulator("000000000000", "us-east-1", CLOCK);
    SsmBreakGlassFlag flag = new SsmBreakGlassFlag(ssm, "/cairn/break-glass", CLOCK);
    assertThat(flag.read().enabled()).as("missing").isFalse();
    for (String off :
        new String[] {
          "{\"enabled\":false}",
          "{\"enabled\":\"true\"}",
          "true",
          "{",
          "{\"enabled\": true}",
          BreakGlassFlagState.value(NOW)
        }) {
      ssm.seed("/cairn/break-glass", off);
      assertThat(flag.read().enabled()).as(off).isFalse();
    }
    ssm.seed("/cairn/break-glass", "true");
    assertThat(flag.read().legacy()).as("a plain true is the retired format").isTrue();
    ssm.seed("/cairn/break-glass", BreakGlassFlagState.value(NOW.plusSeconds(3600)));
    assertThat(flag.read().enabled()).isTrue();
  }

  @Test
  void breakGlassStore_storedRequestIsConsumedOnce_byOneExecution(
      DynamoDbClient dynamoDb, LocalTables tables) {
    DynamoDbBreakGlassStore store =
        new DynamoDbBreakGlassStore(dynamoDb, tables.idempotency(), CLOCK);
    assertThat(store.find(KEY)).isEmpty();
    store.store(new StoredBreakGlass(KEY, "{\"signed\":1}", "nonce-1", "ovr-exec-1", null));

    StoredBreakGlass found = store.find(KEY).orElseThrow();
    assertThat(found.document()).isEqualTo("{\"signed\":1}");
    assertThat(found.executionName()).isEqualTo("ovr-exec-1");
    assertThat(found.consumedBy()).isNull();

    assertThat(store.consume(KEY, "nonce-other", "arn:exec-1", NOW)).as("wrong nonce").isFalse();
    assertThat(store.consume(KEY, "nonce-1", "arn:exec-1", NOW)).isTrue();
    assertThat(store.consume(KEY, "nonce-1", "arn:exec-1", NOW)).as("same execution").isTrue();
    assertThat(store.consume(KEY, "nonce-1", "arn:exec-2", NOW)).as("another").isFalse();
    assertThat(store.find(KEY).orElseThrow().consumedBy()).isEqualTo("arn:exec-1");

    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(tables.idempotency())
                        .key(
                            Map.of(
                                "id",
                                AttributeValue.fromS("break-glass#orders#" + KEY.commitSha()))))
            .item();
    assertThat(item.get("consumed_at").s()).isEqualTo(NOW.toString());
    assertThat(item.get("expiration").n())
        .isEqualTo(Long.toString(NOW.plus(DynamoDbBreakGlassStore.RETENTION).getEpochSecond()));
  }

  @Test
  void breakGlassStore_consumeWithNothingStored_isRefused(
      DynamoDbClient dynamoDb, LocalTables tables) {
    DynamoDbBreakGlassStore store =
        new DynamoDbBreakGlassStore(dynamoDb, tables.idempotency(), CLOCK);

    ArtifactKey never = new ArtifactKey("orders", "f".repeat(40));

    assertThat(store.consume(never, "nonce-1", "arn:exec-1", NOW)).isFalse();
    assertThat(store.find(never)).as("a refused consume creates nothing").isEmpty();
  }

  @Test
  void pipelineStarter_sameNameTwice_isOneExecution() {
    String machine = "arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline";
    SfnEmulator sfn = new SfnEmulator(CLOCK);
    SfnPipelineStarter starter = new SfnPipelineStarter(sfn, machine);
    var input = Json.object().put("service", "orders").put("trigger", "override");

    String first = starter.start("ovr-rollback-prod-0123456789ab-0123456789ab", input);
    String second = starter.start("ovr-rollback-prod-0123456789ab-0123456789ab", input);

    assertThat(first)
        .isEqualTo(second)
        .endsWith(":execution:DeployArtifactPipeline:ovr-rollback-prod-0123456789ab-0123456789ab");
    assertThat(sfn.startExecutionRequests()).hasSize(2);
    assertThat(sfn.startExecutionRequests().get(0).input()).contains("\"trigger\":\"override\"");
  }

  @Test
  void notifier_putsCairnOverrideEventsAndPublishesAlerts() {
    EventBridgeEmulator events = new EventBridgeEmulator(CLOCK);
    SnsEmulator sns = new SnsEmulator();
    AwsOverrideNotifier n =
        new AwsOverrideNotifier(
            events, "cairn-events", sns, "arn:aws:sns:us-east-1:000000000000:alerts");

    n.event("OverrideRequested", Json.object().put("outcome", "refused"));
    n.alert("Cairn break_glass refused: orders", "{}");

    assertThat(events.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("cairn.override");
              assertThat(e.detailType()).isEqualTo("OverrideRequested");
              assertThat(e.eventBusName()).isEqualTo("cairn-events");
              assertThat(e.detail()).contains("refused");
            });
    assertThat(sns.published())
        .singleElement()
        .satisfies(p -> assertThat(p.subject()).contains("break_glass"));
  }
}
