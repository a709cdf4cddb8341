package dev.cairn.aws.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.integrity.SnsAuditedIntegrityAlerts;
import dev.cairn.aws.kms.ItemMacKeys;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A refused item leaves an audit entry and an alert, with the production alerts on the production
 * ledger and audit log (DynamoDB Local, the SNS emulator, the KMS emulator).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SnsAuditedIntegrityAlertsTest {

  static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:cairn-alerts";
  static final Actor SWEEPER = new Actor(ActorRole.PIPELINE, "cairn-sweeper");

  private final DynamoDbClient dynamoDb;
  private final LocalTables tables;
  private final ItemMacKeys keys = new ItemMacKeys();
  private final SnsEmulator sns = new SnsEmulator();
  private final String chain = "chain-" + UUID.randomUUID();

  SnsAuditedIntegrityAlertsTest(DynamoDbClient dynamoDb, LocalTables tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
  }

  private DynamoDbAuditLog[] log = new DynamoDbAuditLog[1];

  private SnsAuditedIntegrityAlerts alerts() {
    return new SnsAuditedIntegrityAlerts(sns, TOPIC, () -> log[0], SWEEPER, LedgerFixtures.CLOCK);
  }

  @Test
  void unauthenticatedRecord_writesAnAuditEntry_thenAlertsNamingIt() {
    SnsAuditedIntegrityAlerts alerts = alerts();
    log[0] = new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chain, keys.macs(), alerts);
    DynamoDbDeploymentLedger ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chain,
            LedgerFixtures.CLOCK,
            dev.cairn.aws.dynamodb.Contention.defaults(),
            keys.macs(),
            alerts);
    String commit = UUID.randomUUID().toString().replace("-", "") + "00000000";
    ArtifactRecord r = ledger.create(LedgerFixtures.candidate("orders", commit), LedgerFixtures.CI);
    dynamoDb.updateItem(
        u ->
            u.tableName(tables.artifactMetadata())
                .key(ArtifactItems.key(r.key()))
                .updateExpression("SET artifact_sha256 = :d")
                .expressionAttributeValues(Map.of(":d", AttributeValue.fromS("e".repeat(64)))));

    assertThatThrownBy(() -> ledger.find(r.key()))
        .isInstanceOf(RecordUnauthenticatedException.class);

    List<ObjectNode> entries = new ArrayList<>();
    log[0].entries().forEachRemaining(entries::add);
    ObjectNode audited = entries.get(entries.size() - 1);
    assertThat(audited.path("action").asText()).isEqualTo(SnsAuditedIntegrityAlerts.ACTION);
    assertThat(audited.at("/details/code").asText()).isEqualTo("RECORD_UNAUTHENTICATED");
    assertThat(audited.at("/details/item").asText()).isEqualTo("orders/" + commit);
    assertThat(audited.at("/details/reason").asText()).isEqualTo("MAC_MISMATCH");
    assertThat(audited.at("/actor/id").asText()).isEqualTo("cairn-sweeper");

    assertThat(sns.published())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.topicArn()).isEqualTo(TOPIC);
              assertThat(p.subject()).startsWith("RECORD_UNAUTHENTICATED orders/");
              JsonNode m =
                  Json.parse(p.message().getBytes(java.nio.charset.StandardCharsets.UTF_8));
              assertThat(m.path("code").asText()).isEqualTo("RECORD_UNAUTHENTICATED");
              assertThat(m.path("audit_event").asText())
                  .isEqualTo(audited.path("event_id").asText());
            });
  }

  @Test
  void unauthenticatedHead_cannotBeAudited_soTheAlertSaysWhy() {
    SnsAuditedIntegrityAlerts alerts = alerts();
    log[0] = new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chain, keys.macs(), alerts);
    log[0].append(
        new dev.cairn.core.audit.AuditEvent(
            LedgerFixtures.CLOCK.instant(),
            SWEEPER,
            "SweeperTriggered",
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of()));
    dynamoDb.updateItem(
        u ->
            u.tableName(tables.auditLog())
                .key(
                    Map.of(
                        "chain_id", AttributeValue.fromS(chain),
                        "sequence", AttributeValue.fromN("0")))
                .updateExpression("SET head_log_hash = :h")
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS("0".repeat(64)))));

    assertThatThrownBy(() -> log[0].head()).isInstanceOf(RecordUnauthenticatedException.class);

    assertThat(sns.published())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.subject()).startsWith("AUDIT_ENTRY_UNAUTHENTICATED " + chain + ":head");
              assertThat(p.message()).contains("not written");
            });
  }

  @Test
  void alertOnly_neverTouchesTheAuditLog() {
    SnsAuditedIntegrityAlerts reader =
        SnsAuditedIntegrityAlerts.alertOnly(sns, TOPIC, SWEEPER, LedgerFixtures.CLOCK);
    reader.unauthenticated(
        new RecordUnauthenticatedException(
            dev.cairn.core.failure.ItemIntegrityFailure.AUDIT_ENTRY_UNAUTHENTICATED,
            "cairn:7",
            RecordUnauthenticatedException.Reason.MAC_MISMATCH));
    assertThat(sns.published())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("may not append"));
  }
}
