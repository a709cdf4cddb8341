package dev.cairn.local.servers;

import dev.cairn.schema.TableDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * DynamoDB Local's tables from the shared definitions ({@link TableDefinition}, the same reading of
 * {@code schema/tables/} the CDK stack builds its tables from).
 */
public final class LocalTableDefinitions {

  private LocalTableDefinitions() {}

  /** The CreateTable request for {@code definition} under {@code physicalName}. */
  public static CreateTableRequest createRequest(TableDefinition definition, String physicalName) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    definition
        .attributeTypes()
        .forEach(
            (name, type) ->
                attributes.add(
                    AttributeDefinition.builder()
                        .attributeName(name)
                        .attributeType(ScalarAttributeType.fromValue(type))
                        .build()));
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    for (TableDefinition.Index g : definition.globalSecondaryIndexes()) {
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(g.indexName())
              .keySchema(keySchema(g.partitionKey(), g.sortKey()))
              .projection(
                  Projection.builder()
                      .projectionType(ProjectionType.fromValue(g.projection()))
                      .build())
              .build());
    }
    CreateTableRequest.Builder b =
        CreateTableRequest.builder()
            .tableName(physicalName)
            .attributeDefinitions(attributes)
            .keySchema(keySchema(definition.partitionKey(), definition.sortKey()))
            .billingMode(BillingMode.PAY_PER_REQUEST);
    if (!indexes.isEmpty()) {
      b.globalSecondaryIndexes(indexes);
    }
    return b.build();
  }

  /**
   * Creates the table {@code name} under {@code physicalName}, for DynamoDB Local (tests, benches).
   * An existing table is left as it is.
   *
   * <p>The TTL setting ({@link TableDefinition#ttlAttribute()}) is not switched on: DynamoDB
   * Local's expiry job deletes every item whose TTL attribute lies in the <em>host's</em> past,
   * once a second, while the code under test runs on a virtual clock that may sit weeks behind it.
   * An override nonce kept "until a day after its request expires" on the virtual clock was deleted
   * seconds after its claim, and the same signed request was accepted twice. DynamoDB deletes
   * expired items only "typically within two days" and never before they expire, so never deleting
   * them is within its contract; deleting them early is not.
   */
  public static void create(DynamoDbClient dynamoDb, String name, String physicalName) {
    try {
      dynamoDb.createTable(createRequest(TableDefinition.load(name), physicalName));
    } catch (ResourceInUseException alreadyThere) {
      return;
    }
    dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(physicalName));
  }

  private static List<KeySchemaElement> keySchema(String partition, Optional<String> sort) {
    List<KeySchemaElement> keys = new ArrayList<>();
    keys.add(KeySchemaElement.builder().attributeName(partition).keyType(KeyType.HASH).build());
    sort.ifPresent(
        s -> keys.add(KeySchemaElement.builder().attributeName(s).keyType(KeyType.RANGE).build()));
    return keys;
  }
}
