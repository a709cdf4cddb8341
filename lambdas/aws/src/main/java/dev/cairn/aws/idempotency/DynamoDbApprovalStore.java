package dev.cairn.aws.idempotency;

import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.port.ApprovalStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Approvals in {@code cairn-idempotency}: one item {@code approvals#<service>#<commit>#<env>} whose
 * string set {@code approvers} holds key fingerprints and whose attribute {@code approval#<key
 * fingerprint>} holds that key's signed approval document. {@code ADD} to a set is idempotent, so
 * one key approving twice counts once, and concurrent approvals never lose each other. Whoever
 * counts re-verifies the documents; an approver without its document counts nothing.
 */
public final class DynamoDbApprovalStore implements ApprovalStore {

  /** Approvals outlive any realistic wait for a prod deploy. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private static final String DOCUMENT = "approval#";

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
  public Set<String> record(
      ArtifactKey key, String environment, String keyFingerprint, byte[] document) {
    var resp =
        TransientErrors.translate(
            () ->
                dynamoDb.updateItem(
                    r ->
                        r.tableName(table)
                            .key(Map.of("id", AttributeValue.fromS(id(key, environment))))
                            .updateExpression("ADD approvers :k SET expiration = :e, #d = :d")
                            .expressionAttributeNames(Map.of("#d", DOCUMENT + keyFingerprint))
                            .expressionAttributeValues(
                                Map.of(
                                    ":k",
                                    AttributeValue.fromSs(List.of(keyFingerprint)),
                                    ":e",
                                    AttributeValue.fromN(
                                        Long.toString(
                                            clock.instant().plus(RETENTION).getEpochSecond())),
                                    ":d",
                                    AttributeValue.fromS(
                                        new String(document, StandardCharsets.UTF_8))))
                            .returnValues(ReturnValue.ALL_NEW)));
    return approvals(resp.attributes()).keySet();
  }

  @Override
  public Map<String, byte[]> approvals(ArtifactKey key, String environment) {
    var resp =
        TransientErrors.translate(
            () ->
                dynamoDb.getItem(
                    r ->
                        r.tableName(table)
                            .consistentRead(true)
                            .key(Map.of("id", AttributeValue.fromS(id(key, environment))))));
    return resp.hasItem() ? approvals(resp.item()) : Map.of();
  }

  private static Map<String, byte[]> approvals(Map<String, AttributeValue> item) {
    AttributeValue v = item == null ? null : item.get("approvers");
    if (v == null || !v.hasSs()) {
      return Map.of();
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String fingerprint : v.ss()) {
      AttributeValue d = item.get(DOCUMENT + fingerprint);
      out.put(
          fingerprint,
          d == null || d.s() == null ? new byte[0] : d.s().getBytes(StandardCharsets.UTF_8));
    }
    return Map.copyOf(out);
  }
}
