package dev.cairn.aws.idempotency;

import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.override.ApprovalStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Approvals in {@code cairn-idempotency}: one item {@code approvals#<service>#<commit>#<env>} whose
 * string set {@code approvers} holds key fingerprints. {@code ADD} to a set is idempotent, so one
 * key approving twice counts once, and concurrent approvals never lose each other.
 */
public final class DynamoDbApprovalStore implements ApprovalStore {

  /** Approvals outlive any realistic wait for a prod deploy. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Clock clock;

  public DynamoDbApprovalStore(DynamoDbClient dynamoDb, String table, Clock clock) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.clock = clock;
  }

  static String id(ArtifactKey key, String environment) {
    return "approvals#" + key.service() + "#" + key.commitSha() + "#" + environment;
  }

  @Override
  public Set<String> record(ArtifactKey key, String environment, String keyFingerprint) {
    var resp =
        TransientErrors.translate(
            () ->
                dynamoDb.updateItem(
                    r ->
                        r.tableName(table)
                            .key(Map.of("id", AttributeValue.fromS(id(key, environment))))
                            .updateExpression("ADD approvers :k SET expiration = :e")
                            .expressionAttributeValues(
                                Map.of(
                                    ":k", AttributeValue.fromSs(java.util.List.of(keyFingerprint)),
                                    ":e",
                                        AttributeValue.fromN(
                                            Long.toString(
                                                clock.instant().plus(RETENTION).getEpochSecond()))))
                            .returnValues(ReturnValue.ALL_NEW)));
    return approvers(resp.attributes());
  }

  @Override
  public Set<String> approvers(ArtifactKey key, String environment) {
    var resp =
        TransientErrors.translate(
            () ->
                dynamoDb.getItem(
                    r ->
                        r.tableName(table)
                            .consistentRead(true)
                            .key(Map.of("id", AttributeValue.fromS(id(key, environment))))));
    return resp.hasItem() ? approvers(resp.item()) : Set.of();
  }

  private static Set<String> approvers(Map<String, AttributeValue> item) {
    AttributeValue v = item == null ? null : item.get("approvers");
    return v == null || !v.hasSs() ? Set.of() : Set.copyOf(new LinkedHashSet<>(v.ss()));
  }
}
