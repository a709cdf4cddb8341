package dev.cairn.core.ledger.port;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.util.List;
import java.util.Optional;

/**
 * Port: the artifact ledger, Cairn's only source of truth (ARCHITECTURE decision 4). Every write
 * commits together with its audit entry, or not at all.
 */
public interface DeploymentLedger {

  /**
   * Writes a new record (status {@code candidate}) if none exists for its key, with its audit entry
   * ({@code ArtifactPublished}). Refuses ({@code ALREADY_EXISTS}) a key that exists: a commit is
   * published once.
   */
  ArtifactRecord create(ArtifactRecord candidate, Actor actor);

  /** The record, read consistently. */
  Optional<ArtifactRecord> find(ArtifactKey key);

  /** Every record of {@code service}, newest commit order not guaranteed. */
  List<ArtifactRecord> findByService(String service);

  /**
   * Up to {@code limit} records on the sparse {@code sweep-due-index} in {@code partition} with
   * {@code sweep_due_at <= now}, earliest first (ARCHITECTURE decision 6): a {@code Query}, never a
   * Scan, so the cost follows the work that is due. The index is eventually consistent; callers
   * re-read with {@link #find} before acting.
   */
  default List<ArtifactRecord> findDue(String partition, java.time.Instant now, int limit) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no sweep index");
  }

  /**
   * Applies the request: checks each move against the lifecycle table and the current record, then
   * writes the new record, the audit entry and the chain head in one transaction. Retries on
   * contention; refuses with {@link dev.cairn.core.lifecycle.TransitionRefusedException}.
   */
  TransitionResult transition(TransitionRequest request);

  /**
   * Writes attributes without a lifecycle move (for example {@code execution_status} or the
   * finalizer's marks), with its audit entry, in one transaction conditioned on the version.
   */
  default TransitionResult annotate(
      ArtifactKey key,
      Actor actor,
      String action,
      java.util.function.Consumer<ArtifactRecord.Builder> attributes,
      java.util.Map<String, String> details) {
    return transition(
        new TransitionRequest(key, actor, action, List.of(), attributes, null, null, details));
  }

  /**
   * Appends an audit entry about an artifact the ledger has no record of (an upload nobody
   * registered): there is no record to move, and its refusal must still be on the chain. Returns
   * the entry's event id.
   */
  String auditUnrecorded(
      ArtifactKey key, Actor actor, String action, java.util.Map<String, String> details);

  /** What a transition wrote. */
  record TransitionResult(
      ArtifactRecord before, ArtifactRecord after, String auditEventId, int attempts) {}
}
