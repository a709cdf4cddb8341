package dev.cairn.lambda.override;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.idempotency.DynamoDbApprovalStore;
import dev.cairn.aws.idempotency.DynamoDbNonceStore;
import dev.cairn.aws.override.AwsOverrideNotifier;
import dev.cairn.aws.override.SfnPipelineStarter;
import dev.cairn.aws.override.SsmBreakGlassFlag;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.testing.DynamoDbLocalExtension;
import dev.cairn.testing.LocalTables;
import dev.cairn.testing.fake.FakeEventBridgeClient;
import dev.cairn.testing.fake.FakeSfnClient;
import dev.cairn.testing.fake.FakeSnsClient;
import dev.cairn.testing.fake.FakeSsmClient;
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

    assertThat(nonces.claim("nonce-aaaaaaaaaaaaaaaa", NOW.plusSeconds(3600))).isTrue();
    assertThat(nonces.claim("nonce-aaaaaaaaaaaaaaaa", NOW.plusSeconds(3600))).isFalse();
    assertThat(nonces.claim("nonce-bbbbbbbbbbbbbbbb", NOW.plusSeconds(3600))).isTrue();

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
    assertThat(item.get("expiration").n())
        .isEqualTo(Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
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
  void breakGlassFlag_isOnOnlyForEnabledTrue() {
    FakeSsmClient ssm = new FakeSsmClient("000000000000", "us-east-1", CLOCK);
    SsmBreakGlassFlag flag = new SsmBreakGlassFlag(ssm, "/cairn/break-glass");
    assertThat(flag.enabled()).as("missing").isFalse();
    for (String off : new String[] {"{\"enabled\":false}", "{\"enabled\":\"true\"}", "true", "{"}) {
      ssm.seed("/cairn/break-glass", off);
      assertThat(flag.enabled()).as(off).isFalse();
    }
    ssm.seed("/cairn/break-glass", "{\"enabled\": true}");
    assertThat(flag.enabled()).isTrue();
  }

  @Test
  void pipelineStarter_sameNameTwice_isOneExecution() {
    String machine = "arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline";
    FakeSfnClient sfn = new FakeSfnClient(CLOCK);
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
    FakeEventBridgeClient events = new FakeEventBridgeClient(CLOCK);
    FakeSnsClient sns = new FakeSnsClient();
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
