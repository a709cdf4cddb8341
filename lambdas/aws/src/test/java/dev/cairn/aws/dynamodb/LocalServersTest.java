package dev.cairn.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.aws.idempotency.DynamoDbNonceStore;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalTableDefinitions;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.schema.TableDefinition;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.time.Duration;
import java.time.Instant;
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
    assertThat(TableDefinition.load(TableDefinition.ARTIFACT_METADATA).ttlAttribute())
        .contains("expire_at");
    TableDescription audit = dynamoDb.describeTable(r -> r.tableName(tables.auditLog())).table();
    assertThat(audit.keySchema())
        .extracting(k -> k.attributeName())
        .containsExactly("chain_id", "sequence");
    assertThat(TableDefinition.load(TableDefinition.ARTIFACT_METADATA).tableName())
        .isEqualTo("cdk-artifact-metadata");
    // The definition names the TTL attribute; DynamoDB Local is not told (see the tests below).
    assertThat(
            dynamoDb
                .describeTimeToLive(r -> r.tableName(tables.artifactMetadata()))
                .timeToLiveDescription()
                .timeToLiveStatus())
        .isEqualTo(TimeToLiveStatus.DISABLED);
  }

  /**
   * Why the tables keep their TTL off: DynamoDB Local's expiry job (once a second) deletes items
   * whose TTL attribute lies in the host's past. Every test and the sandbox run on a virtual clock
   * weeks behind the host's, where such an item has not expired.
   */
  @Test
  void dynamoDbLocal_withTtlOn_deletesByTheHostsClock_soTheTablesKeepItOff(
      DynamoDbClient dynamoDb, LocalTables tables) throws InterruptedException {
    String scratch = tables.idempotency() + "-ttl-on";
    LocalTableDefinitions.create(dynamoDb, TableDefinition.IDEMPOTENCY, scratch);
    dynamoDb.updateTimeToLive(
        r ->
            r.tableName(scratch)
                .timeToLiveSpecification(t -> t.attributeName("expiration").enabled(true)));
    // A day in the host's past: still the future on a virtual clock weeks behind it.
    Instant keepUntil = Instant.now().minus(Duration.ofDays(1));
    assertThat(new DynamoDbNonceStore(dynamoDb, scratch).claim("on", keepUntil)).isTrue();
    assertThat(new DynamoDbNonceStore(dynamoDb, tables.idempotency()).claim("off", keepUntil))
        .isTrue();

    // The job runs when DynamoDB Local gets to it; wait until it has deleted the scratch nonce.
    DynamoDbNonceStore on = new DynamoDbNonceStore(dynamoDb, scratch);
    Instant giveUp = Instant.now().plus(EXPIRY_JOB_PATIENCE);
    boolean replayAccepted = false;
    while (!replayAccepted && Instant.now().isBefore(giveUp)) {
      Thread.sleep(250);
      replayAccepted = on.claim("on", keepUntil);
    }
    assertThat(replayAccepted)
        .as("DynamoDB Local deleted the nonce by the host's clock: the replay is accepted")
        .isTrue();
    assertThat(new DynamoDbNonceStore(dynamoDb, tables.idempotency()).claim("off", keepUntil))
        .as("single use holds on the table as created, after the job has run")
        .isFalse();
  }

  /** How long DynamoDB Local's expiry job (scheduled once a second) is given to run. */
  private static final Duration EXPIRY_JOB_PATIENCE = Duration.ofSeconds(60);

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
