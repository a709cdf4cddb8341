package dev.cairn.aws.idempotency;

import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.StoredBreakGlass;
import dev.cairn.core.override.port.BreakGlassStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Break-glass requests in {@code cairn-idempotency}: one item {@code
 * break-glass#<service>#<commit>} holding the signed request ({@code document}), its {@code nonce},
 * the {@code execution_name} it authorizes and, once used, {@code consumed_by}/{@code consumed_at}.
 * Only the override Lambda puts; the deployer's consume is an {@code UpdateItem} conditioned on the
 * nonce and on nobody else having consumed it.
 */
public final class DynamoDbBreakGlassStore implements BreakGlassStore {

  static final String PREFIX = "break-glass#";

  /** Kept for the investigation after an incident; the audit log keeps it for good. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;

  public DynamoDbBreakGlassStore(DynamoDbClient dynamoDb, String table, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.clock = clock;
  }

  static String id(ArtifactKey key) {
    return PREFIX + key.service() + "#" + key.commitSha();
  }

  @Override
  public void store(StoredBreakGlass request) {
    TransientErrors.translate(
        () ->
            dynamoDb.putItem(
                r ->
                    r.tableName(table)
                        .item(
                            Map.of(
                                "id", AttributeValue.fromS(id(request.key())),
                                "document", AttributeValue.fromS(request.document()),
                                "nonce", AttributeValue.fromS(request.nonce()),
                                "execution_name", AttributeValue.fromS(request.executionName()),
                                "expiration",
                                    AttributeValue.fromN(
                                        Long.toString(
                                            clock.instant().plus(RETENTION).getEpochSecond()))))));
  }

  @Override
  public Optional<StoredBreakGlass> find(ArtifactKey key) {
    var resp =
        TransientErrors.translate(
            () ->
                dynamoDb.getItem(
                    r ->
                        r.tableName(table)
                            .consistentRead(true)
                            .key(Map.of("id", AttributeValue.fromS(id(key))))));
    if (!resp.hasItem() || resp.item().isEmpty()) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = resp.item();
    return Optional.of(
        new StoredBreakGlass(
            key,
            text(item, "document"),
            text(item, "nonce"),
            text(item, "execution_name"),
            item.containsKey("consumed_by") ? item.get("consumed_by").s() : null));
  }

  @Override
  public boolean consume(ArtifactKey key, String nonce, String executionId, Instant at) {
    try {
      TransientErrors.translate(
          () ->
              dynamoDb.updateItem(
                  r ->
                      r.tableName(table)
                          .key(Map.of("id", AttributeValue.fromS(id(key))))
                          .updateExpression("SET consumed_by = :e, consumed_at = :t")
                          .conditionExpression(
                              "nonce = :n AND (attribute_not_exists(consumed_by)"
                                  + " OR consumed_by = :e)")
                          .expressionAttributeValues(
                              Map.of(
                                  ":n", AttributeValue.fromS(nonce),
                                  ":e", AttributeValue.fromS(executionId),
                                  ":t", AttributeValue.fromS(at.toString())))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw new IllegalStateException("break-glass item " + item.get("id") + " has no " + name);
    }
    return v.s();
  }
}
