package dev.cairn.lambda.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.ledger.ArtifactItems;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.SweepPolicy;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link DynamoDbDeploymentLedger#findDue} on DynamoDB Local with the production table definition:
 * a {@code Query} on the sparse {@code sweep-due-index} that reads only the due items, whatever
 * else the table holds (ARCHITECTURE decision 6).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class SweepIndexQueryTest {

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  /** Every request and Query response the client sees. */
  static final class Recorder implements ExecutionInterceptor {
    final List<Object> requests = new ArrayList<>();
    final List<QueryResponse> queries = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes a) {
      requests.add(context.request());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes a) {
      if (context.response() instanceof QueryResponse q) {
        queries.add(q);
      }
    }
  }

  final Recorder recorder = new Recorder();
  final DynamoDbClient dynamoDb;
  final LocalTables tables;

  SweepIndexQueryTest(LocalDynamoDb local, LocalTables tables) {
    this.tables = tables;
    this.dynamoDb =
        DynamoDbClient.builder()
            .endpointOverride(local.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
            .build();
  }

  @Test
  void findDue_readsOnlyDueItems_throughTheIndex_neverAScan() {
    Fixtures.MovingClock clock = new Fixtures.MovingClock();
    String chain = "chain-" + UUID.randomUUID();
    DynamoDbDeploymentLedger ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chain,
            clock,
            dev.cairn.aws.dynamodb.Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    Actor ci = new Actor(ActorRole.CI, "ci");
    String service = "svc-" + UUID.randomUUID();
    // Due at T0+5 min: the only item a sweep at T0+6 may read.
    ArtifactRecord due =
        ledger.create(Fixtures.candidate(service, Fixtures.commit(), clock.now), ci);
    // Not yet due: published at T0+4 (due T0+9).
    clock.advance(Duration.ofMinutes(4));
    for (int i = 0; i < 5; i++) {
      ledger.create(Fixtures.candidate(service, Fixtures.commit(), clock.now), ci);
    }
    // Not on the index at all: 20 records with nothing due (no sweep attributes).
    for (int i = 0; i < 20; i++) {
      ArtifactRecord settled =
          Fixtures.candidate(service, Fixtures.commit(), clock.now).toBuilder()
              .version(3)
              .sweepPartition(null)
              .sweepDueAt(null)
              .build();
      dynamoDb.putItem(
          r -> r.tableName(tables.artifactMetadata()).item(ArtifactItems.toItem(settled)));
    }
    clock.advance(Duration.ofMinutes(2));
    recorder.requests.clear();
    recorder.queries.clear();

    List<ArtifactRecord> found = new ArrayList<>();
    for (String p : SweepPolicy.partitions()) {
      found.addAll(ledger.findDue(p, clock.now, 100));
    }

    assertThat(found).extracting(ArtifactRecord::key).containsExactly(due.key());
    assertThat(recorder.requests)
        .hasSize(SweepPolicy.PARTITIONS)
        .allSatisfy(
            r -> assertThat(r).isInstanceOf(QueryRequest.class).isNotInstanceOf(ScanRequest.class));
    assertThat(recorder.requests)
        .allSatisfy(
            r ->
                assertThat(((QueryRequest) r).indexName())
                    .isEqualTo(DynamoDbDeploymentLedger.SWEEP_INDEX));
    // ScannedCount is what DynamoDB read (and bills): only the one due item.
    assertThat(recorder.queries.stream().mapToInt(QueryResponse::scannedCount).sum()).isEqualTo(1);
    assertThat(recorder.queries.stream().mapToInt(QueryResponse::count).sum()).isEqualTo(1);
    // ReturnConsumedCapacity=INDEXES: the reads are on the GSI, one item's worth (0.5 RCU for an
    // eventually consistent read of up to 4 KB), and nothing on the base table.
    double index =
        recorder.queries.stream()
            .filter(q -> q.consumedCapacity() != null)
            .flatMap(q -> q.consumedCapacity().globalSecondaryIndexes().values().stream())
            .mapToDouble(c -> c.capacityUnits() == null ? c.readCapacityUnits() : c.capacityUnits())
            .sum();
    double table =
        recorder.queries.stream()
            .filter(q -> q.consumedCapacity() != null && q.consumedCapacity().table() != null)
            .mapToDouble(q -> q.consumedCapacity().table().capacityUnits())
            .sum();
    assertThat(recorder.queries).allSatisfy(q -> assertThat(q.consumedCapacity()).isNotNull());
    assertThat(table).isZero();
    assertThat(index).isLessThanOrEqualTo(SweepPolicy.PARTITIONS * 0.5);
  }

  @Test
  void findDue_honoursTheLimit_earliestFirst() {
    Fixtures.MovingClock clock = new Fixtures.MovingClock();
    clock.advance(Duration.ofDays(30)); // clear of the other test's due times in the shared table
    DynamoDbDeploymentLedger ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            "chain-" + UUID.randomUUID(),
            clock,
            dev.cairn.aws.dynamodb.Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    String service = "svc-" + UUID.randomUUID();
    List<ArtifactRecord> created = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      created.add(
          ledger.create(
              Fixtures.candidate(service, Fixtures.commit(), clock.now),
              new Actor(ActorRole.CI, "ci")));
      clock.advance(Duration.ofSeconds(10));
    }
    clock.advance(Duration.ofHours(1));
    for (String p : SweepPolicy.partitions()) {
      List<ArtifactRecord> page = ledger.findDue(p, clock.now, 2);
      assertThat(page.size()).isLessThanOrEqualTo(2);
      assertThat(page)
          .isSortedAccordingTo(java.util.Comparator.comparing(ArtifactRecord::sweepDueAt));
    }
  }
}
