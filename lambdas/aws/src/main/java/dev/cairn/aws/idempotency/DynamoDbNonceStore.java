package dev.cairn.aws.idempotency;

import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.override.port.NonceStore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Single-use override nonces in {@code cairn-idempotency}: {@code PutItem} of {@code
 * override-nonce#<nonce>} conditioned on {@code attribute_not_exists(id)}, with the table's TTL
 * attribute {@code expiration}.
 */
public final class DynamoDbNonceStore implements NonceStore {

  static final String PREFIX = "override-nonce#";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbNonceStore(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  @Override
  public boolean claim(String nonce, Instant keepUntil) {
    try {
      TransientErrors.translate(
          () ->
              dynamoDb.putItem(
                  r ->
                      r.tableName(table)
                          .item(
                              Map.of(
                                  "id", AttributeValue.fromS(PREFIX + nonce),
                                  "expiration",
                                      AttributeValue.fromN(
                                          Long.toString(keepUntil.getEpochSecond()))))
                          .conditionExpression("attribute_not_exists(id)")));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }
}
