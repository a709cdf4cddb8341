package dev.cairn.aws.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.aws.dynamodb.Contention;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.ledger.port.IntegrityAlerts;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link AuditLog} on the {@code cdk-audit-log} table. Appends write each entry and the head with
 * its {@code item_mac}; reads check every entry's and the head's MAC before returning them (without
 * the MAC attribute, so the entry is exactly what was sealed). {@link #withoutMacCheck} opens a
 * read-only log for a reader without {@code kms:VerifyMac} (the CLI): it checks chain links only
 * and says so through {@link #macsChecked()}.
 */
public final class DynamoDbAuditLog implements AuditLog {

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String chainId;
  private final Contention contention;
  private final java.util.Optional<Authenticated> macs;

  /** The MAC key and where refusals are reported. */
  private record Authenticated(ItemMacs macs, IntegrityAlerts alerts) {}

  public DynamoDbAuditLog(
      DynamoDbClient dynamoDb,
      String table,
      String chainId,
      ItemMacs macs,
      IntegrityAlerts alerts) {
    this(dynamoDb, table, chainId, Contention.defaults(), macs, alerts);
  }

  public DynamoDbAuditLog(
      DynamoDbClient dynamoDb,
      String table,
      String chainId,
      Contention contention,
      ItemMacs macs,
      IntegrityAlerts alerts) {
    this(
        dynamoDb,
        table,
        chainId,
        contention,
        java.util.Optional.of(new Authenticated(macs, alerts)));
  }

  private DynamoDbAuditLog(
      DynamoDbClient dynamoDb,
      String table,
      String chainId,
      Contention contention,
      java.util.Optional<Authenticated> macs) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.chainId = chainId;
    this.contention = contention;
    this.macs = macs;
  }

  /**
   * A read-only log that does not check MACs (a reader without {@code kms:VerifyMac}); {@link
   * #append} refuses. Whoever uses it must report that MACs were not checked.
   */
  public static DynamoDbAuditLog withoutMacCheck(
      DynamoDbClient dynamoDb, String table, String chainId) {
    return new DynamoDbAuditLog(
        dynamoDb, table, chainId, Contention.defaults(), java.util.Optional.empty());
  }

  /** Whether entries and the head are MAC-checked as they are read. */
  public boolean macsChecked() {
    return macs.isPresent();
  }

  @Override
  public String chainId() {
    return chainId;
  }

  @Override
  public AuditHead head() {
    if (macs.isEmpty()) {
      return AuditItems.readHeadUnchecked(dynamoDb, table, chainId);
    }
    return AuditItems.readHead(dynamoDb, table, chainId, macs.get().macs(), macs.get().alerts());
  }

  @Override
  public Iterator<ObjectNode> entries() {
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("chain_id = :c AND #s > :zero")
            .expressionAttributeNames(Map.of("#s", "sequence"))
            .expressionAttributeValues(
                Map.of(":c", AttributeValue.fromS(chainId), ":zero", AttributeValue.fromN("0")))
            .consistentRead(true)
            .scanIndexForward(true)
            .build();
    Iterator<Map<String, AttributeValue>> items = dynamoDb.queryPaginator(query).items().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public ObjectNode next() {
        Map<String, AttributeValue> item = items.next();
        return macs.isEmpty()
            ? ItemMacs.strip(AttributeValues.toJson(item))
            : AuditItems.authenticatedEntry(item, macs.get().macs(), macs.get().alerts());
      }
    };
  }

  /** One {@code GetItem} (consistent), its MAC checked unless this log was opened without one. */
  @Override
  public java.util.Optional<ObjectNode> entry(long sequence) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "chain_id",
                                AttributeValue.fromS(chainId),
                                "sequence",
                                AttributeValue.fromN(Long.toString(sequence)))))
            .item();
    if (item == null || item.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        macs.isEmpty()
            ? ItemMacs.strip(AttributeValues.toJson(item))
            : AuditItems.authenticatedEntry(item, macs.get().macs(), macs.get().alerts()));
  }

  @Override
  public ObjectNode append(AuditEvent event) {
    if (macs.isEmpty()) {
      throw new IllegalStateException(
          "this audit log was opened without the MAC key (read-only); appends need kms:GenerateMac");
    }
    ItemMacs itemMacs = macs.get().macs();
    for (int attempt = 1; ; attempt++) {
      AuditHead head = head();
      ObjectNode entry = AuditChain.seal(event, head);
      try {
        dynamoDb.transactWriteItems(
            r ->
                r.transactItems(
                    List.of(
                        AuditItems.putEntry(table, entry, itemMacs),
                        AuditItems.moveHead(table, head, entry, itemMacs))));
        dev.cairn.aws.runtime.LogContext.auditEntryWritten(entry);
        return entry;
      } catch (TransactionCanceledException e) {
        contention.backoffOrThrow(attempt, e);
      } catch (software.amazon.awssdk.services.dynamodb.model.TransactionConflictException e) {
        contention.backoffOrThrow(attempt, e);
      }
    }
  }
}
