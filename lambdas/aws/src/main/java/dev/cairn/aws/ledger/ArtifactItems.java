package dev.cairn.aws.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ArtifactRecord} ↔ {@code cdk-artifact-metadata} items, and the conditional update. Items
 * the ledger writes carry {@code item_mac}, computed over the item exactly as DynamoDB stores it
 * (JSON nulls omitted), so that a re-read canonicalizes to the same bytes.
 */
public final class ArtifactItems {

  private static final Set<String> KEY = Set.of("service", "commit_sha");

  /** Equal JSON, numbers by value: a stored 3 reads back as a long, the record writes an int. */
  private static final Comparator<JsonNode> SAME_VALUE =
      (x, y) ->
          x.equals(y)
                  || (x.isNumber()
                      && y.isNumber()
                      && x.decimalValue().compareTo(y.decimalValue()) == 0)
              ? 0
              : 1;

  private ArtifactItems() {}

  public static ObjectNode toJson(ArtifactRecord r) {
    return Json.mapper().valueToTree(r);
  }

  public static Map<String, AttributeValue> toItem(ArtifactRecord r) {
    return AttributeValues.fromJson(toJson(r));
  }

  /** The item of {@code r} with its MAC: what a put of {@code r} stores. */
  public static Map<String, AttributeValue> toSealedItem(ArtifactRecord r, ItemMacs macs) {
    Map<String, AttributeValue> item = new java.util.LinkedHashMap<>(toItem(r));
    item.put(ItemMacs.ATTRIBUTE, AttributeValue.fromS(macs.macOf(AttributeValues.toJson(item))));
    return item;
  }

  /**
   * The record in {@code item}, MAC not checked (its {@code item_mac} is ignored): for sweep-index
   * hints only. Reads that decide go through the ledger, which checks the MAC first.
   */
  public static ArtifactRecord fromItem(Map<String, AttributeValue> item) {
    return fromJson(ItemMacs.strip(AttributeValues.toJson(item)));
  }

  /** The record in an item's JSON without {@code item_mac}. */
  public static ArtifactRecord fromJson(ObjectNode json) {
    try {
      return Json.mapper().treeToValue(json, ArtifactRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable cdk-artifact-metadata item: " + e.getOriginalMessage(), e);
    }
  }

  public static Map<String, AttributeValue> key(ArtifactKey key) {
    return Map.of(
        "service",
        AttributeValue.fromS(key.service()),
        "commit_sha",
        AttributeValue.fromS(key.commitSha()));
  }

  /** {@code service/commit_sha} of an item, for refusals and alerts. */
  public static String describe(Map<String, AttributeValue> item) {
    AttributeValue service = item.get("service");
    AttributeValue commit = item.get("commit_sha");
    return (service == null ? "?" : service.s()) + "/" + (commit == null ? "?" : commit.s());
  }

  /**
   * The update from {@code before} to {@code after}: SET every top-level attribute that changed or
   * appeared and {@code after}'s MAC, REMOVE every one that disappeared (this is how {@code
   * sweep_due_at} leaves the sparse index), conditioned on {@code before}'s status and version.
   * {@code before} was read with a valid MAC from the item whose JSON (without {@code item_mac}) is
   * {@code stored}, so the stored item becomes exactly {@code after}. The changes are taken against
   * {@code stored}, not against {@code before} written again: a {@code build_time} a manifest gave
   * as {@code 12:00:00.5Z} is read as an {@code Instant} and written as {@code 12:00:00.500Z}, and
   * that SET must be in the update for the MAC of {@code after} to hold.
   */
  public static Update conditionalUpdate(
      String table, ObjectNode stored, ArtifactRecord before, ArtifactRecord after, ItemMacs macs) {
    ObjectNode b = stored;
    ObjectNode a = toJson(after);
    List<String> sets = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    int i = 0;
    Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode was = b.get(f.getKey());
      if (KEY.contains(f.getKey()) || (was != null && f.getValue().equals(SAME_VALUE, was))) {
        continue;
      }
      names.put("#a" + i, f.getKey());
      values.put(":v" + i, AttributeValues.toValue(f.getValue()));
      sets.add("#a" + i + " = :v" + i);
      i++;
    }
    Iterator<String> old = b.fieldNames();
    while (old.hasNext()) {
      String name = old.next();
      if (!a.has(name)) {
        names.put("#a" + i, name);
        removes.add("#a" + i);
        i++;
      }
    }
    names.put("#a" + i, ItemMacs.ATTRIBUTE);
    values.put(":v" + i, toSealedItem(after, macs).get(ItemMacs.ATTRIBUTE));
    sets.add("#a" + i + " = :v" + i);
    i++;
    names.put("#version", "version");
    names.put("#status", "status");
    values.put(":expected_version", AttributeValue.fromN(Long.toString(before.version())));
    values.put(":expected_status", AttributeValue.fromS(before.status().value()));
    StringBuilder expr = new StringBuilder();
    if (!sets.isEmpty()) {
      expr.append("SET ").append(String.join(", ", sets));
    }
    if (!removes.isEmpty()) {
      expr.append(expr.length() > 0 ? " " : "")
          .append("REMOVE ")
          .append(String.join(", ", removes));
    }
    return Update.builder()
        .tableName(table)
        .key(key(before.key()))
        .updateExpression(expr.toString())
        .conditionExpression("#version = :expected_version AND #status = :expected_status")
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }
}
