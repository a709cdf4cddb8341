package dev.cairn.aws.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.core.audit.AuditHead;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

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

  /** Reads the head consistently; {@link AuditHead#empty} when the chain has none. */
  public static AuditHead readHead(DynamoDbClient dynamoDb, String table, String chainId) {
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

  /** Put of the entry; fails if an item with that sequence exists. */
  public static TransactWriteItem putEntry(String table, ObjectNode entry) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(AttributeValues.fromJson(entry))
                .conditionExpression("attribute_not_exists(chain_id)")
                .build())
        .build();
  }

  /** Moves the head from {@code previous} to {@code entry}, conditioned on the head's sequence. */
  public static TransactWriteItem moveHead(String table, AuditHead previous, ObjectNode entry) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":seq", AttributeValue.fromN(Long.toString(entry.get("sequence").asLong())));
    values.put(":hash", AttributeValue.fromS(entry.get("log_hash").asText()));
    values.put(":ts", AttributeValue.fromS(entry.get("timestamp").asText()));
    String condition;
    if (previous.sequence() == 0) {
      condition = "attribute_not_exists(chain_id)";
    } else {
      condition = "#hs = :prev";
      values.put(":prev", AttributeValue.fromN(Long.toString(previous.sequence())));
    }
    return TransactWriteItem.builder()
        .update(
            Update.builder()
                .tableName(table)
                .key(headKey(previous.chainId()))
                .updateExpression("SET #hs = :seq, #hh = :hash, #ht = :ts")
                .conditionExpression(condition)
                .expressionAttributeNames(
                    Map.of("#hs", HEAD_SEQUENCE, "#hh", HEAD_LOG_HASH, "#ht", HEAD_TIMESTAMP))
                .expressionAttributeValues(values)
                .build())
        .build();
  }
}
