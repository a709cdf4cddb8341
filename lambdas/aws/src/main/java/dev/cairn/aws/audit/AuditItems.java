package dev.cairn.aws.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.failure.ItemIntegrityFailure;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.ledger.port.IntegrityAlerts;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Items of {@code cdk-audit-log}: entries keyed {@code (chain_id, sequence >= 1)}, each stored as
 * its JSON members; the head is {@code (chain_id, 0)} with {@code head_sequence}, {@code
 * head_log_hash} and {@code head_timestamp}. Used by the audit log and the ledger to build the two
 * transaction parts of every append.
 */
public final class AuditItems {

  public static final String HEAD_SEQUENCE = "head_sequence";
  public static final String HEAD_LOG_HASH = "head_log_hash";
  public static final String HEAD_TIMESTAMP = "head_timestamp";

  private AuditItems() {}

  public static Map<String, AttributeValue> headKey(String chainId) {
    return Map.of("chain_id", AttributeValue.fromS(chainId), "sequence", AttributeValue.fromN("0"));
  }

  /**
   * Reads the head consistently and checks its MAC; {@link AuditHead#empty} when the chain has
   * none. A head without a valid MAC is refused ({@code AUDIT_ENTRY_UNAUTHENTICATED}) and reported.
   */
  public static AuditHead readHead(
      DynamoDbClient dynamoDb,
      String table,
      String chainId,
      ItemMacs macs,
      IntegrityAlerts alerts) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(r -> r.tableName(table).key(headKey(chainId)).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      return AuditHead.empty(chainId);
    }
    check(item, chainId + ":head", macs, alerts);
    return new AuditHead(
        chainId,
        Long.parseLong(item.get(HEAD_SEQUENCE).n()),
        item.get(HEAD_LOG_HASH).s(),
        item.containsKey(HEAD_TIMESTAMP) ? item.get(HEAD_TIMESTAMP).s() : null);
  }

  /** Reads the head without checking its MAC: for a reader without the key, which says so. */
  public static AuditHead readHeadUnchecked(DynamoDbClient dynamoDb, String table, String chainId) {
    Map<String, AttributeValue> item =
        dynamoDb.getItem(r -> r.tableName(table).key(headKey(chainId)).consistentRead(true)).item();
    if (item == null || item.isEmpty()) {
      return AuditHead.empty(chainId);
    }
    return new AuditHead(
        chainId,
        Long.parseLong(item.get(HEAD_SEQUENCE).n()),
        item.get(HEAD_LOG_HASH).s(),
        item.containsKey(HEAD_TIMESTAMP) ? item.get(HEAD_TIMESTAMP).s() : null);
  }

  /**
   * The entry in {@code item} without its MAC, after the MAC is checked; refused ({@code
   * AUDIT_ENTRY_UNAUTHENTICATED}) and reported otherwise.
   */
  public static ObjectNode authenticatedEntry(
      Map<String, AttributeValue> item, ItemMacs macs, IntegrityAlerts alerts) {
    ObjectNode json = AttributeValues.toJson(item);
    check(
        item,
        json.path("chain_id").asText("?") + ":" + json.path("sequence").asText("?"),
        macs,
        alerts);
    return ItemMacs.strip(json);
  }

  private static void check(
      Map<String, AttributeValue> item, String itemKey, ItemMacs macs, IntegrityAlerts alerts) {
    try {
      macs.check(
          AttributeValues.toJson(item), ItemIntegrityFailure.AUDIT_ENTRY_UNAUTHENTICATED, itemKey);
    } catch (RecordUnauthenticatedException refused) {
      alerts.unauthenticated(refused);
      throw refused;
    }
  }

  /** Put of the entry with its MAC; fails if an item with that sequence exists. */
  public static TransactWriteItem putEntry(String table, ObjectNode entry, ItemMacs macs) {
    Map<String, AttributeValue> item =
        new java.util.LinkedHashMap<>(AttributeValues.fromJson(entry));
    item.put(ItemMacs.ATTRIBUTE, AttributeValue.fromS(macs.macOf(AttributeValues.toJson(item))));
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(chain_id)")
                .build())
        .build();
  }

  /**
   * Moves the head from {@code previous} to {@code entry}, with the new head's MAC, conditioned on
   * the head's sequence. A conditional put of the whole head item, not an update: no principal
   * holds {@code dynamodb:UpdateItem} on the audit table, so no entry can be edited in place.
   */
  public static TransactWriteItem moveHead(
      String table, AuditHead previous, ObjectNode entry, ItemMacs macs) {
    Map<String, AttributeValue> item = new java.util.LinkedHashMap<>(headKey(previous.chainId()));
    item.put(HEAD_SEQUENCE, AttributeValue.fromN(Long.toString(entry.get("sequence").asLong())));
    item.put(HEAD_LOG_HASH, AttributeValue.fromS(entry.get("log_hash").asText()));
    item.put(HEAD_TIMESTAMP, AttributeValue.fromS(entry.get("timestamp").asText()));
    item.put(ItemMacs.ATTRIBUTE, AttributeValue.fromS(macs.macOf(AttributeValues.toJson(item))));
    Put.Builder put = Put.builder().tableName(table).item(item);
    if (previous.sequence() == 0) {
      put.conditionExpression("attribute_not_exists(chain_id)");
    } else {
      put.conditionExpression("#hs = :prev")
          .expressionAttributeNames(Map.of("#hs", HEAD_SEQUENCE))
          .expressionAttributeValues(
              Map.of(":prev", AttributeValue.fromN(Long.toString(previous.sequence()))));
    }
    return TransactWriteItem.builder().put(put.build()).build();
  }
}
