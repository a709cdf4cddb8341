package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.aws.dynamodb.TableDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class LocalServersTest {

  @Test
  void dynamoDbLocal_createsTablesFromSharedDefinitions(
      DynamoDbClient dynamoDb, LocalTables tables) {
    TableDescription metadata =
        dynamoDb.describeTable(r -> r.tableName(tables.artifactMetadata())).table();
    assertThat(metadata.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("service:" + KeyType.HASH, "commit_sha:" + KeyType.RANGE);
    assertThat(metadata.globalSecondaryIndexes())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.indexName()).isEqualTo("sweep-due-index");
              assertThat(g.keySchema())
                  .extracting(k -> k.attributeName())
                  .containsExactly("sweep_partition", "sweep_due_at");
            });
    assertThat(
            dynamoDb
                .describeTimeToLive(r -> r.tableName(tables.artifactMetadata()))
                .timeToLiveDescription()
                .attributeName())
        .isEqualTo("expire_at");
    TableDescription audit = dynamoDb.describeTable(r -> r.tableName(tables.auditLog())).table();
    assertThat(audit.keySchema())
        .extracting(k -> k.attributeName())
        .containsExactly("chain_id", "sequence");
    assertThat(TableDefinition.load(TableDefinition.ARTIFACT_METADATA).tableName())
        .isEqualTo("cdk-artifact-metadata");
    assertThat(
            dynamoDb
                .describeTimeToLive(r -> r.tableName(tables.artifactMetadata()))
                .timeToLiveDescription()
                .timeToLiveStatus())
        .isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
  }

  @Test
  void dynamoDbLocal_whenCallerHoldsOtherCredentialsAndRegion_seesTheSameTables(
      LocalDynamoDb dynamo, LocalTables tables) {
    // A newcomer's shell often holds real AWS credentials and another region: the sandbox's
    // tables must still be there (DynamoDB Local keys its databases by both unless shared).
    try (DynamoDbClient other =
        DynamoDbClient.builder()
            .endpointOverride(dynamo.endpoint())
            .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "AKIAOTHERUSER0000000", "other-secret")))
            .httpClientBuilder(
                software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
            .build()) {
      assertThat(other.listTables().tableNames()).contains(tables.artifactMetadata());
      assertThat(
              other
                  .describeTable(r -> r.tableName(tables.auditLog()))
                  .table()
                  .tableStatusAsString())
          .isEqualTo("ACTIVE");
    }
  }

  @Test
  void s3Proxy_versionsBucketsAndRefusesOverwriteWithIfNoneMatch(
      S3Client s3, LocalBuckets buckets) {
    assertThat(s3.getBucketVersioning(r -> r.bucket(buckets.candidate())).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key("a/b").ifNoneMatch("*"),
        RequestBody.fromString("one"));
    assertThatThrownBy(
            () ->
                s3.putObject(
                    r -> r.bucket(buckets.candidate()).key("a/b").ifNoneMatch("*"),
                    RequestBody.fromString("two")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
    assertThat(s3.getObjectAsBytes(r -> r.bucket(buckets.candidate()).key("a/b")).asUtf8String())
        .isEqualTo("one");
  }
}
