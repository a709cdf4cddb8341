package dev.cairn.aws.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.AuditItems;
import dev.cairn.aws.dynamodb.Contention;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.failure.ItemIntegrityFailure;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.ledger.port.IntegrityAlerts;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.lifecycle.TransitionRefusedException.Reason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * {@link DeploymentLedger} on {@code cdk-artifact-metadata} and {@code cdk-audit-log}. Every write
 * is one {@code TransactWriteItems} of three parts:
 *
 * <ol>
 *   <li>the artifact: a conditional update on the expected {@code status} and {@code version} (a
 *       conditional put with {@code attribute_not_exists} on creation);
 *   <li>the next audit entry: a put with {@code attribute_not_exists};
 *   <li>the chain head: a put conditioned on the head's {@code head_sequence}.
 * </ol>
 *
 * When only the head (or entry) condition fails, another writer appended first: back off with
 * jitter, re-read the head and try again. When the artifact condition fails, the record moved:
 * re-read it and re-plan, which refuses with {@code STALE_STATE} if the move no longer applies.
 *
 * <p>Every record, entry and head it writes carries an {@code item_mac} ({@link ItemMacs}), and
 * every record it reads is checked before it is returned: a record without a valid MAC is refused
 * ({@link RecordUnauthenticatedException}, {@code RECORD_UNAUTHENTICATED}) and reported to {@link
 * IntegrityAlerts}, so no use case ever decides on an item another principal wrote. The sweep
 * index's items are not checked: they are hints, and the sweeper re-reads each with {@link #find}
 * before acting.
 */
public final class DynamoDbDeploymentLedger implements DeploymentLedger {

  private final DynamoDbClient dynamoDb;
  private final String metadataTable;
  private final String auditTable;
  private final String chainId;
  private final Clock clock;
  private final Contention contention;
  private final ItemMacs macs;
  private final IntegrityAlerts alerts;

  public DynamoDbDeploymentLedger(
      DynamoDbClient dynamoDb,
      String metadataTable,
      String auditTable,
      String chainId,
      Clock clock,
      Contention contention,
      ItemMacs macs,
      IntegrityAlerts alerts) {
    this.dynamoDb = dynamoDb;
    this.metadataTable = metadataTable;
    this.auditTable = auditTable;
    this.chainId = chainId;
    this.clock = clock;
    this.contention = contention;
    this.macs = macs;
    this.alerts = alerts;
  }

  public DynamoDbDeploymentLedger(
      DynamoDbClient dynamoDb,
      String metadataTable,
      String auditTable,
      Clock clock,
      ItemMacs macs,
      IntegrityAlerts alerts) {
    this(
        dynamoDb,
        metadataTable,
        auditTable,
        AuditChain.DEFAULT_CHAIN_ID,
        clock,
        Contention.defaults(),
        macs,
        alerts);
  }

  @Override
  public ArtifactRecord create(ArtifactRecord candidate, Actor actor) {
    for (int attempt = 1; ; attempt++) {
      AuditHead head = readHead();
      TransitionPlanner.Plan plan =
          TransitionPlanner.planCreate(
              candidate, actor, clock.instant(), AuditChain.eventId(chainId, head.sequence() + 1));
      ObjectNode entry = AuditChain.seal(plan.event(), head);
      TransactWriteItem put =
          TransactWriteItem.builder()
              .put(
                  Put.builder()
                      .tableName(metadataTable)
                      .item(ArtifactItems.toSealedItem(plan.after(), macs))
                      .conditionExpression("attribute_not_exists(service)")
                      .build())
              .build();
      try {
        write(put, head, entry);
        return plan.after();
      } catch (TransactionCanceledException e) {
        if (failed(e, 0)) {
          throw new TransitionRefusedException(
              Reason.ALREADY_EXISTS,
              candidate.key()
                  + " is already recorded; a commit is published once and never overwritten");
        }
        contention.backoffOrThrow(attempt, e);
      } catch (TransactionConflictException e) {
        contention.backoffOrThrow(attempt, e);
      }
    }
  }

  @Override
  public Optional<ArtifactRecord> find(ArtifactKey key) {
    return read(key).map(Stored::record);
  }

  /** A record and its item's JSON as stored (without {@code item_mac}). */
  private record Stored(ArtifactRecord record, ObjectNode json) {}

  private Optional<Stored> read(ArtifactKey key) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r -> r.tableName(metadataTable).key(ArtifactItems.key(key)).consistentRead(true))
            .item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(stored(item));
  }

  /** The record in {@code item}, after its MAC is checked; refused and reported otherwise. */
  private ArtifactRecord authenticated(Map<String, AttributeValue> item) {
    return stored(item).record();
  }

  private Stored stored(Map<String, AttributeValue> item) {
    ObjectNode json = dev.cairn.aws.dynamodb.AttributeValues.toJson(item);
    try {
      macs.check(json, ItemIntegrityFailure.RECORD_UNAUTHENTICATED, ArtifactItems.describe(item));
    } catch (RecordUnauthenticatedException refused) {
      alerts.unauthenticated(refused);
      throw refused;
    }
    ObjectNode unsealed = ItemMacs.strip(json);
    return new Stored(ArtifactItems.fromJson(unsealed), unsealed);
  }

  private AuditHead readHead() {
    return AuditItems.readHead(dynamoDb, auditTable, chainId, macs, alerts);
  }

  @Override
  public List<ArtifactRecord> findByService(String service) {
    List<ArtifactRecord> out = new ArrayList<>();
    dynamoDb
        .queryPaginator(
            r ->
                r.tableName(metadataTable)
                    .keyConditionExpression("service = :s")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(service)))
                    .consistentRead(true))
        .items()
        .forEach(i -> out.add(authenticated(i)));
    return out;
  }

  /** The sparse sweep index (schema/tables/cdk-artifact-metadata.table.json). */
  public static final String SWEEP_INDEX = "sweep-due-index";

  /**
   * {@code Query} on {@value #SWEEP_INDEX}: {@code sweep_partition = :p AND sweep_due_at <= :now},
   * earliest first, paged until {@code limit} items. Never a Scan: only due items are read.
   */
  @Override
  public List<ArtifactRecord> findDue(String partition, java.time.Instant now, int limit) {
    List<ArtifactRecord> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      var page =
          dynamoDb.query(
              r ->
                  r.tableName(metadataTable)
                      .indexName(SWEEP_INDEX)
                      .keyConditionExpression("sweep_partition = :p AND sweep_due_at <= :now")
                      .expressionAttributeValues(
                          Map.of(
                              ":p", AttributeValue.fromS(partition),
                              ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                      .scanIndexForward(true)
                      .limit(limit - out.size())
                      .exclusiveStartKey(from)
                      .returnConsumedCapacity(
                          software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity
                              .INDEXES));
      page.items().forEach(i -> out.add(ArtifactItems.fromItem(i)));
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null && out.size() < limit);
    return out;
  }

  @Override
  public TransitionResult transition(TransitionRequest request) {
    for (int attempt = 1; ; attempt++) {
      Stored stored =
          read(request.key())
              .orElseThrow(
                  () ->
                      new TransitionRefusedException(
                          Reason.NOT_FOUND, request.key() + " is not recorded"));
      ArtifactRecord current = stored.record();
      AuditHead head = readHead();
      String eventId = AuditChain.eventId(chainId, head.sequence() + 1);
      TransitionPlanner.Plan plan =
          TransitionPlanner.plan(current, request, clock.instant(), eventId);
      ObjectNode entry = AuditChain.seal(plan.event(), head);
      TransactWriteItem update =
          TransactWriteItem.builder()
              .update(
                  ArtifactItems.conditionalUpdate(
                      metadataTable, stored.json(), current, plan.after(), macs))
              .build();
      try {
        write(update, head, entry);
        return new TransitionResult(current, plan.after(), eventId, attempt);
      } catch (TransactionCanceledException | TransactionConflictException e) {
        // Either the record moved (re-plan on fresh state) or another append won the head.
        contention.backoffOrThrow(attempt, e);
      }
    }
  }

  @Override
  public String auditUnrecorded(
      ArtifactKey key, Actor actor, String action, Map<String, String> details) {
    // An entry alone is an append to the audit log, nothing more.
    ObjectNode entry =
        new dev.cairn.aws.audit.DynamoDbAuditLog(
                dynamoDb, auditTable, chainId, contention, macs, alerts)
            .append(
                new dev.cairn.core.audit.AuditEvent(
                    clock.instant(),
                    actor,
                    action,
                    key,
                    null,
                    null,
                    List.of(),
                    null,
                    null,
                    details));
    return entry.path("event_id").asText();
  }

  private void write(TransactWriteItem artifact, AuditHead head, ObjectNode entry) {
    dynamoDb.transactWriteItems(
        r ->
            r.transactItems(
                List.of(
                    artifact,
                    AuditItems.putEntry(auditTable, entry, macs),
                    AuditItems.moveHead(auditTable, head, entry, macs))));
    dev.cairn.aws.runtime.LogContext.auditEntryWritten(entry);
  }

  private static boolean failed(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.cancellationReasons();
    return reasons != null
        && reasons.size() > index
        && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }
}
