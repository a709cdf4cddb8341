package dev.cairn.aws.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.testing.DynamoDbLocalExtension;
import dev.cairn.testing.LocalTables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbAuditLogTest {

  private final DynamoDbClient dynamoDb;
  private final LocalTables tables;

  DynamoDbAuditLogTest(DynamoDbClient dynamoDb, LocalTables tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
  }

  private DynamoDbAuditLog logWith(int entries) {
    DynamoDbAuditLog log =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), "chain-" + UUID.randomUUID());
    for (int i = 0; i < entries; i++) {
      log.append(
          new AuditEvent(
              Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i),
              new Actor(ActorRole.OPERATOR, "alice"),
              "OverrideRequested",
              null,
              null,
              null,
              List.of(),
              "because " + i,
              "sig" + i,
              Map.of("n", Integer.toString(i))));
    }
    return log;
  }

  private Map<String, AttributeValue> key(DynamoDbAuditLog log, long seq) {
    return Map.of(
        "chain_id",
        AttributeValue.fromS(log.chainId()),
        "sequence",
        AttributeValue.fromN(Long.toString(seq)));
  }

  private AuditVerification verify(DynamoDbAuditLog log) {
    return AuditChainVerifier.verify(log.entries(), log.head());
  }

  @Test
  void append_buildsAChainThatVerifies_andSurvivesTheRoundTrip() {
    DynamoDbAuditLog log = logWith(30);
    AuditVerification v = verify(log);
    assertThat(v.valid()).isTrue();
    assertThat(v.entries()).isEqualTo(30);
    assertThat(v.headHash()).isEqualTo(log.head().logHash());
  }

  @Test
  void verify_whenItemEditedInTable_failsHashMismatch() {
    DynamoDbAuditLog log = logWith(5);
    dynamoDb.updateItem(
        r ->
            r.tableName(tables.auditLog())
                .key(key(log, 3))
                .updateExpression("SET reason = :r")
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("nothing to see"))));
    AuditVerification v = verify(log);
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.HASH_MISMATCH);
    assertThat(v.firstBadSequence()).isEqualTo(3);
  }

  @Test
  void verify_whenItemDeleted_failsSequenceGap() {
    DynamoDbAuditLog log = logWith(5);
    dynamoDb.deleteItem(r -> r.tableName(tables.auditLog()).key(key(log, 2)));
    AuditVerification v = verify(log);
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.SEQUENCE_GAP);
    assertThat(v.firstBadSequence()).isEqualTo(2);
  }

  @Test
  void verify_whenLastItemDeleted_failsHeadMismatch() {
    DynamoDbAuditLog log = logWith(5);
    dynamoDb.deleteItem(r -> r.tableName(tables.auditLog()).key(key(log, 5)));
    assertThat(verify(log).reason()).isEqualTo(AuditVerification.Reason.HEAD_MISMATCH);
  }

  @Test
  void verify_whenItemRewrittenWithFreshHash_failsBadLinkOnTheNext() {
    DynamoDbAuditLog log = logWith(5);
    Map<String, AttributeValue> item =
        dynamoDb.getItem(r -> r.tableName(tables.auditLog()).key(key(log, 2))).item();
    ObjectNode e = AttributeValues.toJson(item);
    e.put("action", "OverrideApplied");
    e.put("log_hash", AuditChain.logHash(e));
    dynamoDb.putItem(r -> r.tableName(tables.auditLog()).item(AttributeValues.fromJson(e)));
    AuditVerification v = verify(log);
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.BAD_LINK);
    assertThat(v.firstBadSequence()).isEqualTo(3);
  }
}
