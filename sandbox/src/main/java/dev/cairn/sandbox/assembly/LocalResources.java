package dev.cairn.sandbox.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Creates the assembly's stateful resources in DynamoDB Local and S3Proxy, from their synthesized
 * properties: each {@code AWS::DynamoDB::Table} (name, key schema, attribute definitions, GSIs) and
 * each {@code AWS::S3::Bucket} (name, versioning). What the local servers cannot hold is said, not
 * faked, by {@link #unmodelled()}: S3Proxy has no Object Lock, and a table's TTL is not applied
 * because DynamoDB Local's expiry job reads the host's clock, not the virtual one.
 */
public final class LocalResources {

  private final List<String> unmodelled = new ArrayList<>();

  public List<String> unmodelled() {
    return List.copyOf(unmodelled);
  }

  public void createTables(ControlPlaneAssembly assembly, DynamoDbClient dynamoDb) {
    for (ControlPlaneAssembly.Resource t : assembly.resources("AWS::DynamoDB::Table")) {
      JsonNode p = t.properties();
      String name = t.physicalId();
      List<GlobalSecondaryIndex> gsis = new ArrayList<>();
      for (JsonNode g : p.path("GlobalSecondaryIndexes")) {
        gsis.add(
            GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText())
                .keySchema(keys(g.path("KeySchema")))
                .projection(
                    Projection.builder()
                        .projectionType(g.at("/Projection/ProjectionType").asText("ALL"))
                        .build())
                .build());
      }
      List<AttributeDefinition> attributes = new ArrayList<>();
      for (JsonNode a : p.path("AttributeDefinitions")) {
        attributes.add(
            AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText())
                .attributeType(a.path("AttributeType").asText())
                .build());
      }
      dynamoDb.createTable(
          r -> {
            r.tableName(name)
                .keySchema(keys(p.path("KeySchema")))
                .attributeDefinitions(attributes)
                .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
              r.globalSecondaryIndexes(gsis);
            }
          });
      JsonNode ttl = p.path("TimeToLiveSpecification");
      if (ttl.path("Enabled").asBoolean(false)) {
        // Not switched on in DynamoDB Local: its expiry job judges TTL attributes by the host's
        // clock, which runs weeks ahead of the sandbox's virtual one, and would delete an item
        // (an override nonce, a record's expire_at) long before its time
        // (LocalTableDefinitions.create).
        unmodelled.add(
            t.stack().stackName()
                + "/"
                + t.logicalId()
                + ": TimeToLiveSpecification ("
                + ttl.path("AttributeName").asText()
                + ") is not applied; DynamoDB deletes expired items only eventually, and the"
                + " sandbox never does");
      }
    }
  }

  public void createBuckets(ControlPlaneAssembly assembly, S3Client s3) {
    for (ControlPlaneAssembly.Resource b : assembly.resources("AWS::S3::Bucket")) {
      String name = b.physicalId();
      s3.createBucket(r -> r.bucket(name));
      if ("Enabled".equals(b.properties().at("/VersioningConfiguration/Status").asText())) {
        s3.putBucketVersioning(
            r ->
                r.bucket(name)
                    .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
      }
      if (b.properties().path("ObjectLockEnabled").asBoolean(false)) {
        unmodelled.add(
            b.stack().stackName()
                + "/"
                + b.logicalId()
                + ": Object Lock ("
                + b.properties().at("/ObjectLockConfiguration/Rule/DefaultRetention")
                + ") is not enforced by S3Proxy");
      }
    }
  }

  private static List<KeySchemaElement> keys(JsonNode schema) {
    List<KeySchemaElement> out = new ArrayList<>();
    for (JsonNode k : schema) {
      out.add(
          KeySchemaElement.builder()
              .attributeName(k.path("AttributeName").asText())
              .keyType(k.path("KeyType").asText())
              .build());
    }
    return out;
  }
}
