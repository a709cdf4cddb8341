package dev.cairn.aws.ledger;

import static dev.cairn.aws.ledger.LedgerFixtures.CI;
import static dev.cairn.aws.ledger.LedgerFixtures.CLOCK;
import static dev.cairn.aws.ledger.LedgerFixtures.actor;
import static dev.cairn.aws.ledger.LedgerFixtures.candidate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.dynamodb.Contention;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.ledger.port.DeploymentLedger.TransitionResult;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.LifecycleTransitions;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.StateField;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.lifecycle.TransitionRefusedException.Reason;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbDeploymentLedgerTest {

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  private final DynamoDbClient dynamoDb;
  private final LocalTables tables;

  DynamoDbDeploymentLedgerTest(DynamoDbClient dynamoDb, LocalTables tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
  }

  private DynamoDbDeploymentLedger ledger(String chain) {
    return new DynamoDbDeploymentLedger(
        dynamoDb,
        tables.artifactMetadata(),
        tables.auditLog(),
        chain,
        CLOCK,
        Contention.defaults(),
        MACS.macs(),
        MACS.alerts());
  }

  private DynamoDbAuditLog audit(String chain) {
    return new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chain, MACS.macs(), MACS.alerts());
  }

  private static String chain() {
    return "chain-" + UUID.randomUUID();
  }

  private static String commit() {
    return UUID.randomUUID().toString().replace("-", "") + "00000000";
  }

  @Test
  void create_writesCandidateAndAuditEntry_andRefusesTheSameCommitTwice() {
    String chain = chain();
    DynamoDbDeploymentLedger ledger = ledger(chain);
    ArtifactRecord c = candidate("orders", commit());
    ArtifactRecord written = ledger.create(c, CI);
    assertThat(written.version()).isEqualTo(1);
    assertThat(ledger.find(c.key())).contains(written);
    assertThat(written.environment("stage").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(written.environment("prod").status()).isEqualTo(EnvironmentStatus.NOT_DEPLOYED);

    assertThatThrownBy(() -> ledger.create(c, CI))
        .isInstanceOfSatisfying(
            TransitionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
    assertThat(ledger.find(c.key())).contains(written);
    DynamoDbAuditLog audit = audit(chain);
    assertThat(audit.head().sequence()).isEqualTo(1);
    ObjectNode entry = audit.entries().next();
    assertThat(entry.get("action").asText()).isEqualTo("ArtifactPublished");
    assertThat(entry.get("artifact").get("commit_sha").asText()).isEqualTo(c.commitSha());
    assertThat(AuditChainVerifier.verify(audit.entries(), audit.head()).valid()).isTrue();
  }

  @Test
  void find_whenRecordAlteredInTable_refusesRecordUnauthenticated_andReportsIt() {
    dev.cairn.aws.kms.ItemMacKeys keys = new dev.cairn.aws.kms.ItemMacKeys();
    String chain = chain();
    DynamoDbDeploymentLedger ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chain,
            CLOCK,
            Contention.defaults(),
            keys.macs(),
            keys.alerts());
    ArtifactRecord c = ledger.create(candidate("orders", commit()), CI);
    // A principal with UpdateItem on the table (not the control plane) promotes the record.
    dynamoDb.updateItem(
        r ->
            r.tableName(tables.artifactMetadata())
                .key(ArtifactItems.key(c.key()))
                .updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("promoted"))));

    assertThatThrownBy(() -> ledger.find(c.key()))
        .isInstanceOfSatisfying(
            dev.cairn.core.ledger.RecordUnauthenticatedException.class,
            e -> {
              assertThat(e.failure())
                  .isEqualTo(dev.cairn.core.failure.ItemIntegrityFailure.RECORD_UNAUTHENTICATED);
              assertThat(e.reason())
                  .isEqualTo(
                      dev.cairn.core.ledger.RecordUnauthenticatedException.Reason.MAC_MISMATCH);
              assertThat(e.itemKey()).isEqualTo(c.key().service() + "/" + c.key().commitSha());
            });
    assertThat(keys.refused()).hasSize(1);
    assertThatThrownBy(() -> ledger.findByService("orders"))
        .isInstanceOf(dev.cairn.core.ledger.RecordUnauthenticatedException.class);
    // Nothing moves on an altered record: the transition refuses before writing.
    DynamoDbAuditLog audit =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chain, keys.macs(), keys.alerts());
    long head = audit.head().sequence();
    assertThatThrownBy(
            () ->
                ledger.annotate(
                    c.key(), actor(ActorRole.FINALIZER), "FinalizerCorrected", b -> {}, Map.of()))
        .isInstanceOf(dev.cairn.core.ledger.RecordUnauthenticatedException.class);
    assertThat(audit.head().sequence()).isEqualTo(head);
  }

  @Test
  void find_whenRecordHasNoMac_refusesMacMissing() {
    ArtifactRecord legacy = candidate("orders", commit()).toBuilder().version(1).build();
    dynamoDb.putItem(
        p -> p.tableName(tables.artifactMetadata()).item(ArtifactItems.toItem(legacy)));
    assertThatThrownBy(() -> ledger(chain()).find(legacy.key()))
        .isInstanceOfSatisfying(
            dev.cairn.core.ledger.RecordUnauthenticatedException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(
                        dev.cairn.core.ledger.RecordUnauthenticatedException.Reason.MAC_MISSING));
  }

  @Test
  void find_whenMacCopiedFromAnotherRecord_refusesMacMismatch() {
    DynamoDbDeploymentLedger ledger = ledger(chain());
    ArtifactRecord a = ledger.create(candidate("orders", commit()), CI);
    ArtifactRecord b = ledger.create(candidate("orders", commit()), CI);
    AttributeValue macOfA =
        dynamoDb
            .getItem(r -> r.tableName(tables.artifactMetadata()).key(ArtifactItems.key(a.key())))
            .item()
            .get("item_mac");
    dynamoDb.updateItem(
        r ->
            r.tableName(tables.artifactMetadata())
                .key(ArtifactItems.key(b.key()))
                .updateExpression("SET item_mac = :m")
                .expressionAttributeValues(Map.of(":m", macOfA)));
    assertThat(ledger.find(a.key())).contains(a);
    assertThatThrownBy(() -> ledger.find(b.key()))
        .isInstanceOf(dev.cairn.core.ledger.RecordUnauthenticatedException.class);
  }

  @Test
  void transition_writesAMacThatVerifiesOnTheNextRead() {
    DynamoDbDeploymentLedger ledger = ledger(chain());
    ArtifactRecord c = ledger.create(candidate("orders", commit()), CI);
    TransitionResult r =
        ledger.annotate(
            c.key(),
            actor(ActorRole.FINALIZER),
            "FinalizerCorrected",
            b -> b.finalizerRan(true),
            Map.of());
    assertThat(ledger.find(c.key())).contains(r.after());
  }

  @Test
  void create_whenActorNotCi_refuses() {
    assertThatThrownBy(
            () -> ledger(chain()).create(candidate("orders", commit()), actor(ActorRole.PIPELINE)))
        .isInstanceOfSatisfying(
            TransitionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ACTOR_NOT_ALLOWED));
  }

  /** Seeds a record in an arbitrary state, bypassing the ledger (test setup only). */
  private ArtifactRecord seed(ArtifactKey key, StateField field, String value) {
    ArtifactRecord base = candidate(key.service(), key.commitSha()).toBuilder().version(1).build();
    ArtifactRecord.Builder b = base.toBuilder();
    switch (field) {
      case STATUS -> b.status(ArtifactStatus.of(value));
      case ENVIRONMENT_STATUS ->
          b.environment("stage", base.environment("stage").withStatus(EnvironmentStatus.of(value)));
      case TEST_STATUS ->
          b.environment("stage", base.environment("stage").withTestStatus(TestStatus.of(value)));
    }
    ArtifactRecord r = b.build();
    dynamoDb.putItem(
        p ->
            p.tableName(tables.artifactMetadata())
                .item(ArtifactItems.toSealedItem(r, MACS.macs())));
    return r;
  }

  private static List<String> values(StateField f) {
    return switch (f) {
      case STATUS ->
          java.util.Arrays.stream(ArtifactStatus.values()).map(ArtifactStatus::value).toList();
      case ENVIRONMENT_STATUS ->
          java.util.Arrays.stream(EnvironmentStatus.values())
              .map(EnvironmentStatus::value)
              .toList();
      case TEST_STATUS ->
          java.util.Arrays.stream(TestStatus.values()).map(TestStatus::value).toList();
    };
  }

  @Test
  void transition_everyAllowedMoveCommits_andEveryOtherMoveIsRefusedWithoutWriting() {
    String chain = chain();
    DynamoDbDeploymentLedger ledger = ledger(chain);
    DynamoDbAuditLog audit = audit(chain);
    ArtifactKey key = new ArtifactKey("matrix", commit());
    int allowed = 0;
    int refused = 0;
    List<String> wrong = new ArrayList<>();
    for (StateField field : StateField.values()) {
      for (String from : values(field)) {
        for (String to : values(field)) {
          if (from.equals(to)) {
            continue;
          }
          for (ActorRole role : ActorRole.values()) {
            ArtifactRecord seeded = seed(key, field, from);
            StateChange change =
                new StateChange(field, field == StateField.STATUS ? null : "stage", from, to);
            LifecycleTransitions.Move move = LifecycleTransitions.find(field, from, to);
            boolean expectAllowed = move != null && move.actors().contains(role);
            AuditHead headBefore = audit.head();
            try {
              TransitionResult r =
                  ledger.transition(
                      TransitionRequest.of(key, actor(role), "TransitionTest", change));
              if (!expectAllowed) {
                wrong.add("allowed but should be refused: " + change + " by " + role);
                continue;
              }
              allowed++;
              ArtifactRecord stored = ledger.find(key).orElseThrow();
              assertThat(stored).isEqualTo(r.after());
              assertThat(stored.version()).isEqualTo(2);
              assertThat(current(stored, field)).isEqualTo(to);
              assertThat(audit.head().sequence()).isEqualTo(headBefore.sequence() + 1);
              assertThat(stored.auditEventIds()).endsWith(r.auditEventId());
            } catch (TransitionRefusedException e) {
              if (expectAllowed) {
                wrong.add(
                    "refused but should be allowed: "
                        + change
                        + " by "
                        + role
                        + ": "
                        + e.getMessage());
                continue;
              }
              refused++;
              assertThat(e.reason())
                  .isEqualTo(move == null ? Reason.ILLEGAL_TRANSITION : Reason.ACTOR_NOT_ALLOWED);
              assertThat(ledger.find(key)).contains(seeded);
              assertThat(audit.head()).isEqualTo(headBefore);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
    int expectedAllowed =
        LifecycleTransitions.moves().stream().mapToInt(m -> m.actors().size()).sum();
    assertThat(allowed).isEqualTo(expectedAllowed);
    assertThat(refused)
        .isEqualTo((6 * 5 + 8 * 7 + 4 * 3) * ActorRole.values().length - expectedAllowed);
    AuditVerification v = AuditChainVerifier.verify(audit.entries(), audit.head());
    assertThat(v.valid()).as(String.valueOf(v)).isTrue();
    assertThat(v.entries()).isEqualTo(allowed);
  }

  private static String current(ArtifactRecord r, StateField field) {
    return switch (field) {
      case STATUS -> r.status().value();
      case ENVIRONMENT_STATUS -> r.environment("stage").status().value();
      case TEST_STATUS -> r.environment("stage").testStatus().value();
    };
  }

  @Test
  void transition_whenStale_refusesStaleState_soADuplicateExecutionEndsQuietly() {
    String chain = chain();
    DynamoDbDeploymentLedger ledger = ledger(chain);
    ArtifactRecord c = ledger.create(candidate("orders", commit()), CI);
    TransitionRequest lease =
        TransitionRequest.of(
            c.key(),
            actor(ActorRole.PIPELINE),
            "LeaseAcquired",
            StateChange.environment(
                "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING));
    ledger.transition(lease);
    assertThatThrownBy(() -> ledger.transition(lease))
        .isInstanceOfSatisfying(
            TransitionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.STALE_STATE));
    assertThat(audit(chain).head().sequence()).isEqualTo(2);
  }

  @Test
  void transition_maintainsSparseSweepIndex() {
    String chain = chain();
    DynamoDbDeploymentLedger ledger = ledger(chain);
    ArtifactRecord c = ledger.create(candidate("sweep", commit()), CI);
    Map<String, AttributeValue> item = rawItem(c.key());
    assertThat(item).containsKeys("sweep_partition", "sweep_due_at");
    assertThat(dueInIndex(c.key())).isTrue();

    ledger.transition(
        TransitionRequest.of(
            c.key(),
            actor(ActorRole.PIPELINE),
            "InvalidArtifact",
            StateChange.status(ArtifactStatus.CANDIDATE, ArtifactStatus.REJECTED)));
    assertThat(rawItem(c.key())).doesNotContainKeys("sweep_partition", "sweep_due_at");
    assertThat(dueInIndex(c.key())).isFalse();
  }

  private Map<String, AttributeValue> rawItem(ArtifactKey key) {
    return dynamoDb
        .getItem(
            r ->
                r.tableName(tables.artifactMetadata())
                    .key(ArtifactItems.key(key))
                    .consistentRead(true))
        .item();
  }

  private boolean dueInIndex(ArtifactKey key) {
    for (String p : dev.cairn.core.ledger.SweepPolicy.partitions()) {
      var items =
          dynamoDb
              .query(
                  q ->
                      q.tableName(tables.artifactMetadata())
                          .indexName("sweep-due-index")
                          .keyConditionExpression("sweep_partition = :p AND sweep_due_at <= :now")
                          .expressionAttributeValues(
                              Map.of(
                                  ":p",
                                  AttributeValue.fromS(p),
                                  ":now",
                                  AttributeValue.fromN(Long.toString(Long.MAX_VALUE / 2)))))
              .items();
      for (var i : items) {
        if (i.get("commit_sha").s().equals(key.commitSha())) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void transition_underConcurrentWriters_neverLosesOrDuplicatesAnAuditEntry() throws Exception {
    String chain = chain();
    Clock clock = Clock.systemUTC();
    DynamoDbDeploymentLedger ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chain,
            clock,
            new Contention(1000, 1, 50),
            MACS.macs(),
            MACS.alerts());
    List<ArtifactKey> keys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(ledger.create(candidate("concurrent", commit()), CI).key());
    }
    int writers = 4;
    int perWriter = 200;
    Map<ArtifactKey, AtomicInteger> committed = new HashMap<>();
    keys.forEach(k -> committed.put(k, new AtomicInteger()));
    AtomicInteger stale = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      futures.add(
          pool.submit(
              () -> {
                int done = 0;
                int i = 0;
                while (done < perWriter) {
                  ArtifactKey key = keys.get((writer + i++) % keys.size());
                  EnvironmentStatus now =
                      ledger.find(key).orElseThrow().environment("stage").status();
                  TransitionRequest request =
                      now == EnvironmentStatus.PENDING
                          ? TransitionRequest.of(
                              key,
                              actor(ActorRole.PIPELINE),
                              "LeaseAcquired",
                              StateChange.environment(
                                  "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING))
                          : TransitionRequest.of(
                              key,
                              actor(ActorRole.SWEEPER),
                              "StuckPipelineTerminated",
                              StateChange.environment(
                                  "stage", EnvironmentStatus.DEPLOYING, EnvironmentStatus.PENDING));
                  try {
                    ledger.transition(request);
                    committed.get(key).incrementAndGet();
                    done++;
                  } catch (TransitionRefusedException e) {
                    assertThat(e.reason()).isEqualTo(Reason.STALE_STATE);
                    stale.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    DynamoDbAuditLog audit = audit(chain);
    int total = writers * perWriter + keys.size();
    AuditVerification v = AuditChainVerifier.verify(audit.entries(), audit.head());
    assertThat(v.valid()).as(String.valueOf(v)).isTrue();
    assertThat(v.entries()).isEqualTo(total);
    Set<String> ids = new HashSet<>();
    for (ArtifactKey key : keys) {
      ArtifactRecord r = ledger.find(key).orElseThrow();
      assertThat(r.version()).isEqualTo(1 + committed.get(key).get());
      assertThat(r.auditEventIds()).hasSize((int) r.version());
      ids.addAll(r.auditEventIds());
    }
    assertThat(ids).hasSize(total);
    for (long s = 1; s <= total; s++) {
      assertThat(ids).contains(AuditChain.eventId(chain, s));
    }
  }

  @Test
  void transition_whenTransactionRefusedMidway_leavesNothingPartial() {
    String chain = chain();
    DynamoDbDeploymentLedger honest = ledger(chain);
    ArtifactRecord c = honest.create(candidate("crash", commit()), CI);
    AuditHead head = audit(chain).head();
    AtomicInteger injected = new AtomicInteger();
    // The third part (the chain head) is sabotaged: its condition can never hold. The first two
    // parts (artifact update, entry put) would succeed on their own.
    DynamoDbClient sabotaged =
        (DynamoDbClient)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("transactWriteItems")) {
                    TransactWriteItemsRequest req =
                        args[0] instanceof TransactWriteItemsRequest r
                            ? r
                            : TransactWriteItemsRequest.builder()
                                .applyMutation(
                                    (java.util.function.Consumer<TransactWriteItemsRequest.Builder>)
                                        args[0])
                                .build();
                    injected.incrementAndGet();
                    List<TransactWriteItem> items = new ArrayList<>(req.transactItems());
                    Put headPut = items.get(2).put();
                    items.set(
                        2,
                        TransactWriteItem.builder()
                            .put(
                                headPut.toBuilder()
                                    .conditionExpression(
                                        "#hs = :prev AND attribute_not_exists(chain_id)")
                                    .build())
                            .build());
                    return dynamoDb.transactWriteItems(
                        req.toBuilder().transactItems(items).build());
                  }
                  try {
                    return method.invoke(dynamoDb, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    DynamoDbDeploymentLedger ledger =
        new DynamoDbDeploymentLedger(
            sabotaged,
            tables.artifactMetadata(),
            tables.auditLog(),
            chain,
            CLOCK,
            new Contention(3, 1, 2),
            MACS.macs(),
            MACS.alerts());
    assertThatThrownBy(
            () ->
                ledger.transition(
                    TransitionRequest.of(
                        c.key(),
                        actor(ActorRole.PIPELINE),
                        "LeaseAcquired",
                        StateChange.environment(
                            "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gave up after 3 attempts");
    assertThat(injected.get()).isEqualTo(3);
    assertThat(honest.find(c.key())).contains(c);
    assertThat(audit(chain).head()).isEqualTo(head);
    Map<String, AttributeValue> next =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(tables.auditLog())
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "chain_id",
                                AttributeValue.fromS(chain),
                                "sequence",
                                AttributeValue.fromN("2"))))
            .item();
    assertThat(next == null || next.isEmpty()).as("no orphan audit entry").isTrue();
    DynamoDbAuditLog audit = audit(chain);
    assertThat(AuditChainVerifier.verify(audit.entries(), audit.head()).entries()).isEqualTo(1);
  }
}
