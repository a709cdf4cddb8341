package dev.cairn.aws.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.aws.dynamodb.Contention;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditLog;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** {@link AuditLog} on the {@code cdk-audit-log} table. */
public final class DynamoDbAuditLog implements AuditLog {

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String chainId;
  private final Contention contention;

  public DynamoDbAuditLog(DynamoDbClient dynamoDb, String table, String chainId) {
    this(dynamoDb, table, chainId, Contention.defaults());
  }

  public DynamoDbAuditLog(
      DynamoDbClient dynamoDb, String table, String chainId, Contention contention) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.chainId = chainId;
    this.contention = contention;
  }

  @Override
  public String chainId() {
    return chainId;
  }

  @Override
  public AuditHead head() {
    return AuditItems.readHead(dynamoDb, table, chainId);
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
        return AttributeValues.toJson(items.next());
      }
    };
  }

  @Override
  public ObjectNode append(AuditEvent event) {
    for (int attempt = 1; ; attempt++) {
      AuditHead head = head();
      ObjectNode entry = AuditChain.seal(event, head);
      try {
        dynamoDb.transactWriteItems(
            r ->
                r.transactItems(
                    List.of(
                        AuditItems.putEntry(table, entry),
                        AuditItems.moveHead(table, head, entry))));
        return entry;
      } catch (TransactionCanceledException e) {
        contention.backoffOrThrow(attempt, e);
      } catch (software.amazon.awssdk.services.dynamodb.model.TransactionConflictException e) {
        contention.backoffOrThrow(attempt, e);
      }
    }
  }
}
