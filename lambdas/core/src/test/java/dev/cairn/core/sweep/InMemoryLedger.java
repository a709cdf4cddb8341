package dev.cairn.core.sweep;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ledger for core unit tests: the production {@link TransitionPlanner} (lifecycle table, sweep
 * attributes, audit event) on a map. The DynamoDB adapter's own tests run on DynamoDB Local.
 */
public final class InMemoryLedger implements DeploymentLedger {

  private final Map<ArtifactKey, ArtifactRecord> records = new LinkedHashMap<>();
  private final List<AuditEvent> audit = new ArrayList<>();
  private final Clock clock;
  public int findDueCalls;

  public InMemoryLedger(Clock clock) {
    this.clock = clock;
  }

  public List<AuditEvent> audit() {
    return List.copyOf(audit);
  }

  public List<String> actions() {
    return audit.stream().map(AuditEvent::action).toList();
  }

  @Override
  public ArtifactRecord create(ArtifactRecord candidate, Actor actor) {
    var plan =
        TransitionPlanner.planCreate(candidate, actor, clock.instant(), "e" + (audit.size() + 1));
    records.put(candidate.key(), plan.after());
    audit.add(plan.event());
    return plan.after();
  }

  @Override
  public Optional<ArtifactRecord> find(ArtifactKey key) {
    return Optional.ofNullable(records.get(key));
  }

  @Override
  public List<ArtifactRecord> findByService(String service) {
    return records.values().stream().filter(r -> r.service().equals(service)).toList();
  }

  @Override
  public List<ArtifactRecord> findDue(String partition, Instant now, int limit) {
    findDueCalls++;
    return records.values().stream()
        .filter(r -> partition.equals(r.sweepPartition()) && r.sweepDueAt() != null)
        .filter(r -> r.sweepDueAt() <= now.getEpochSecond())
        .sorted(Comparator.comparing(ArtifactRecord::sweepDueAt))
        .limit(limit)
        .toList();
  }

  @Override
  public TransitionResult transition(TransitionRequest request) {
    ArtifactRecord current = records.get(request.key());
    var plan = TransitionPlanner.plan(current, request, clock.instant(), "e" + (audit.size() + 1));
    records.put(request.key(), plan.after());
    audit.add(plan.event());
    return new TransitionResult(current, plan.after(), "e" + audit.size(), 1);
  }

  @Override
  public String auditUnrecorded(
      ArtifactKey key,
      dev.cairn.core.audit.Actor actor,
      String action,
      java.util.Map<String, String> details) {
    audit.add(
        new dev.cairn.core.audit.AuditEvent(
            clock.instant(), actor, action, key, null, null, List.of(), null, null, details));
    return "e" + audit.size();
  }

  /** Writes {@code r} as is (test set-up of states the pipeline would have written). */
  public void put(ArtifactRecord r) {
    records.put(r.key(), r);
  }
}
