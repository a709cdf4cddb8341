package dev.cairn.aws.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.aws.kms.ItemMacKeys;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.failure.ItemIntegrityFailure;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
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

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  private final DynamoDbClient dynamoDb;
  private final LocalTables tables;

  DynamoDbAuditLogTest(DynamoDbClient dynamoDb, LocalTables tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
  }

  private DynamoDbAuditLog logWith(int entries) {
    DynamoDbAuditLog log =
        new DynamoDbAuditLog(
            dynamoDb, tables.auditLog(), "chain-" + UUID.randomUUID(), MACS.macs(), MACS.alerts());
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

  /** Chain links only, as a reader without kms:VerifyMac checks them (MACs have their tests). */
  private AuditVerification verify(DynamoDbAuditLog log) {
    DynamoDbAuditLog links =
        DynamoDbAuditLog.withoutMacCheck(dynamoDb, tables.auditLog(), log.chainId());
    return AuditChainVerifier.verify(links.entries(), links.head());
  }

  private static List<ObjectNode> readAll(DynamoDbAuditLog log) {
    List<ObjectNode> out = new java.util.ArrayList<>();
    log.entries().forEachRemaining(out::add);
    return out;
  }

  @Test
  void entries_areReturnedWithoutTheMac_andVerifyAgainstTheMacCheckedHead() {
    DynamoDbAuditLog log = logWith(3);
    List<ObjectNode> entries = readAll(log);
    assertThat(entries).hasSize(3).noneMatch(e -> e.has("item_mac"));
    assertThat(AuditChainVerifier.verify(entries.iterator(), log.head()).valid()).isTrue();
    Map<String, AttributeValue> stored =
        dynamoDb.getItem(r -> r.tableName(tables.auditLog()).key(key(log, 2))).item();
    assertThat(stored).containsKey("item_mac");
    assertThat(log.macsChecked()).isTrue();
  }

  @Test
  void entries_whenItemEditedInTable_refusedAuditEntryUnauthenticated_andReported() {
    ItemMacKeys keys = new ItemMacKeys();
    DynamoDbAuditLog log =
        new DynamoDbAuditLog(
            dynamoDb, tables.auditLog(), "chain-" + UUID.randomUUID(), keys.macs(), keys.alerts());
    log.append(event(0));
    log.append(event(1));
    // A principal with UpdateItem on the table rewrites entry 2 consistently (fresh log_hash).
    Map<String, AttributeValue> item =
        dynamoDb.getItem(r -> r.tableName(tables.auditLog()).key(key(log, 2))).item();
    ObjectNode e = AttributeValues.toJson(item);
    e.put("reason", "nothing to see");
    ObjectNode unmacd = e.deepCopy();
    unmacd.remove("item_mac");
    e.put("log_hash", AuditChain.logHash(unmacd));
    dynamoDb.putItem(r -> r.tableName(tables.auditLog()).item(AttributeValues.fromJson(e)));

    java.util.Iterator<ObjectNode> it = log.entries();
    assertThat(it.next().path("sequence").asLong()).isEqualTo(1);
    assertThatThrownBy(it::next)
        .isInstanceOfSatisfying(
            RecordUnauthenticatedException.class,
            x -> {
              assertThat(x.failure()).isEqualTo(ItemIntegrityFailure.AUDIT_ENTRY_UNAUTHENTICATED);
              assertThat(x.reason()).isEqualTo(RecordUnauthenticatedException.Reason.MAC_MISMATCH);
              assertThat(x.itemKey()).isEqualTo(log.chainId() + ":2");
            });
    assertThat(keys.refused()).hasSize(1);
  }

  @Test
  void entries_whenEntryAppendedWithoutMac_refusedMacMissing() {
    DynamoDbAuditLog log = logWith(2);
    // A forged, correctly linked entry 3 and head, written by someone without the MAC key.
    ObjectNode forged = AuditChain.seal(event(7), log.head()).deepCopy();
    dynamoDb.putItem(r -> r.tableName(tables.auditLog()).item(AttributeValues.fromJson(forged)));
    DynamoDbAuditLog links =
        DynamoDbAuditLog.withoutMacCheck(dynamoDb, tables.auditLog(), log.chainId());
    assertThat(readAll(links)).hasSize(3);
    assertThatThrownBy(() -> readAll(log))
        .isInstanceOfSatisfying(
            RecordUnauthenticatedException.class,
            x ->
                assertThat(x.reason())
                    .isEqualTo(RecordUnauthenticatedException.Reason.MAC_MISSING));
  }

  @Test
  void head_whenMovedInTable_refusedAuditEntryUnauthenticated() {
    DynamoDbAuditLog log = logWith(3);
    dynamoDb.updateItem(
        r ->
            r.tableName(tables.auditLog())
                .key(key(log, 0))
                .updateExpression("SET head_sequence = :s")
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromN("2"))));
    assertThatThrownBy(log::head)
        .isInstanceOfSatisfying(
            RecordUnauthenticatedException.class,
            x -> assertThat(x.itemKey()).isEqualTo(log.chainId() + ":head"));
    // Appending needs the head: nothing is written on a forged head.
    assertThatThrownBy(() -> log.append(event(9)))
        .isInstanceOf(RecordUnauthenticatedException.class);
  }

  @Test
  void withoutMacCheck_isReadOnly_andSaysSo() {
    DynamoDbAuditLog links =
        DynamoDbAuditLog.withoutMacCheck(dynamoDb, tables.auditLog(), "chain-" + UUID.randomUUID());
    assertThat(links.macsChecked()).isFalse();
    assertThatThrownBy(() -> links.append(event(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kms:GenerateMac");
  }

  private static AuditEvent event(int i) {
    return new AuditEvent(
        Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i),
        new Actor(ActorRole.OPERATOR, "alice"),
        "OverrideRequested",
        null,
        null,
        null,
        List.of(),
        "because " + i,
        "sig" + i,
        Map.of("n", Integer.toString(i)));
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
    // The rewriter has no MAC key: it drops the MAC and fixes the hash (the MAC check has its
    // test).
    ObjectNode e = dev.cairn.core.ledger.ItemMacs.strip(AttributeValues.toJson(item));
    e.put("action", "OverrideApplied");
    e.put("log_hash", AuditChain.logHash(e));
    dynamoDb.putItem(r -> r.tableName(tables.auditLog()).item(AttributeValues.fromJson(e)));
    AuditVerification v = verify(log);
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.BAD_LINK);
    assertThat(v.firstBadSequence()).isEqualTo(3);
  }
}
