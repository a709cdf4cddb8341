package dev.cairn.local.servers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One table definition from {@code schema/tables/<name>.table.json} (packaged in {@code
 * cairn-schema} under {@code /schema/tables/}). The CDK stack reads the same files, so the local
 * tables and the deployed ones cannot drift.
 */
public record TableDefinition(String tableName, JsonNode definition) {

  /** The artifact ledger. */
  public static final String ARTIFACT_METADATA = "cdk-artifact-metadata";

  /** The hash-chained audit log. */
  public static final String AUDIT_LOG = "cdk-audit-log";

  /** Idempotency records and override nonces. */
  public static final String IDEMPOTENCY = "cairn-idempotency";

  /** Every shared definition. */
  public static final List<String> ALL = List.of(ARTIFACT_METADATA, AUDIT_LOG, IDEMPOTENCY);

  /** Loads {@code /schema/tables/<name>.table.json} from the classpath. */
  public static TableDefinition load(String name) {
    String resource = "/schema/tables/" + name + ".table.json";
    try (InputStream in = TableDefinition.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("table definition not on the classpath: " + resource);
      }
      JsonNode node = Json.parse(in);
      return new TableDefinition(node.path("table_name").asText(), node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The TTL attribute, or null when the table has none. */
  public String ttlAttribute() {
    JsonNode ttl = definition.path("ttl_attribute");
    return ttl.isTextual() ? ttl.asText() : null;
  }

  /** The CreateTable request for this definition under {@code physicalName}. */
  public CreateTableRequest createRequest(String physicalName) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    for (JsonNode a : definition.path("attribute_definitions")) {
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(a.path("name").asText())
              .attributeType(ScalarAttributeType.fromValue(a.path("type").asText()))
              .build());
    }
    JsonNode key = definition.path("key_schema");
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (JsonNode g : definition.path("global_secondary_indexes")) {
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(g.path("index_name").asText())
              .keySchema(keySchema(g.path("partition_key"), g.path("sort_key")))
              .projection(
                  Projection.builder()
                      .projectionType(ProjectionType.fromValue(g.path("projection").asText("ALL")))
                      .build())
              .build());
    }
    CreateTableRequest.Builder b =
        CreateTableRequest.builder()
            .tableName(physicalName)
            .attributeDefinitions(attributes)
            .keySchema(keySchema(key.path("partition_key"), key.path("sort_key")))
            .billingMode(BillingMode.fromValue(definition.path("billing_mode").asText()));
    if (!indexes.isEmpty()) {
      b.globalSecondaryIndexes(indexes);
    }
    return b.build();
  }

  /**
   * Creates the table under {@code physicalName}, for DynamoDB Local (tests, benches). An existing
   * table is left as it is.
   *
   * <p>The TTL setting ({@link #ttlAttribute()}) is not switched on: DynamoDB Local's expiry job
   * deletes every item whose TTL attribute lies in the <em>host's</em> past, once a second, while
   * the code under test runs on a virtual clock that may sit weeks behind it. An override nonce
   * kept "until a day after its request expires" on the virtual clock was deleted seconds after its
   * claim, and the same signed request was accepted twice. DynamoDB deletes expired items only
   * "typically within two days" and never before they expire, so never deleting them is within its
   * contract; deleting them early is not.
   */
  public void create(DynamoDbClient dynamoDb, String physicalName) {
    try {
      dynamoDb.createTable(createRequest(physicalName));
    } catch (ResourceInUseException alreadyThere) {
      return;
    }
    dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(physicalName));
  }

  private static List<KeySchemaElement> keySchema(JsonNode partition, JsonNode sort) {
    List<KeySchemaElement> keys = new ArrayList<>();
    keys.add(
        KeySchemaElement.builder().attributeName(partition.asText()).keyType(KeyType.HASH).build());
    if (sort.isTextual()) {
      keys.add(
          KeySchemaElement.builder().attributeName(sort.asText()).keyType(KeyType.RANGE).build());
    }
    return keys;
  }
}
