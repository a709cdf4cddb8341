package dev.cairn.core.ledger;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * When a record needs the sweeper's attention (ARCHITECTURE decision 6). The ledger writes {@code
 * sweep_partition}/{@code sweep_due_at} from this on every transition and REMOVEs them when nothing
 * is due, so the sparse {@code sweep-due-index} holds only work and the sweeper queries {@code
 * sweep_partition = :p AND sweep_due_at <= :now} for each of {@link #PARTITIONS} partitions.
 *
 * <p>Rules, first match wins ({@code t} = time of the transition):
 *
 * <ol>
 *   <li>an execution is in flight (any environment {@code deploying} or {@code rollback_initiated},
 *       any {@code test_running}, or status {@code rollback_initiated}): due just after {@code
 *       execution_started_at} (else {@code t}) + {@code execution_allowance_seconds} (else 65 min),
 *       when the stuck-execution watchdog acts; not due once the watchdog stopped an execution it
 *       may not requeue ({@link #awaitingOperator}: a rollback left half-done);
 *   <li>status {@code candidate} or {@code promoted} with an environment {@code pending}: due at
 *       {@code t} + 5 min, in case the S3 event was missed;
 *   <li>status {@code promoted} (live) with {@code expire_at}: due 7 days before {@code expire_at},
 *       so the sweeper extends the TTL;
 *   <li>otherwise nothing is due.
 * </ol>
 */
public final class SweepPolicy {

  /** The spec's "no stage deployment after 5 minutes". */
  public static final Duration MISSED_EVENT_GRACE = Duration.ofMinutes(5);

  /** The spec's "in-flight for >65 minutes". */
  public static final Duration STUCK_EXECUTION = Duration.ofMinutes(65);

  /** How long before {@code expire_at} a live artifact's TTL is refreshed. */
  public static final Duration TTL_REFRESH_AHEAD = Duration.ofDays(7);

  /** The shortest {@code ArtifactNeverPromoted} age the sweeper can count. */
  public static final Duration NEVER_PROMOTED_MIN_AGE = Duration.ofDays(1);

  /** Number of index partitions (spreads writes on the GSI; the sweeper queries each). */
  public static final int PARTITIONS = 4;

  /** A due time on a partition of the sweep index. */
  public record Due(String partition, long dueAtEpochSeconds) {}

  private SweepPolicy() {}

  /** The sweep index partitions, {@code sweep#0 .. sweep#3}. */
  public static List<String> partitions() {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < PARTITIONS; i++) {
      p.add("sweep#" + i);
    }
    return p;
  }

  /** The partition of {@code key} (stable: CRC-32 of {@code service/commit_sha}). */
  public static String partition(ArtifactKey key) {
    CRC32 crc = new CRC32();
    crc.update(key.toString().getBytes(StandardCharsets.UTF_8));
    return "sweep#" + (crc.getValue() % PARTITIONS);
  }

  /** When {@code record}, as written at {@code t}, next needs the sweeper; empty when never. */
  public static Optional<Due> due(ArtifactRecord record, Instant t) {
    String partition = partition(record.key());
    ArtifactStatus status = record.status();
    if (inFlight(record) && !awaitingOperator(record)) {
      Instant started = record.executionStartedAt() == null ? t : record.executionStartedAt();
      // "in-flight for >65 minutes": the first whole second past the allowance.
      return Optional.of(
          new Due(partition, started.plus(inFlightAllowance(record)).getEpochSecond() + 1));
    }
    if (awaitsItsStart(record)) {
      // The grace lets an S3 event still in flight start the execution first. A record the
      // watchdog requeued has no event coming: the next sweep restarts it.
      return Optional.of(
          new Due(partition, (requeued(record) ? t : t.plus(MISSED_EVENT_GRACE)).getEpochSecond()));
    }
    if (status == ArtifactStatus.PROMOTED && record.expireAt() != null) {
      return Optional.of(new Due(partition, ttlRefreshAt(record).getEpochSecond()));
    }
    if (status == ArtifactStatus.CANDIDATE && record.buildTime() != null) {
      // ArtifactNeverPromoted counts candidates older than a configured age (days): a candidate
      // that is neither pending nor in flight (its first environment failed, say) joins the index
      // a day after its build and stays until it is promoted, rejected or expires.
      return Optional.of(
          new Due(partition, record.buildTime().plus(NEVER_PROMOTED_MIN_AGE).getEpochSecond()));
    }
    return Optional.empty();
  }

  /**
   * Rule 1's condition, which the sweeper's decision shares: an environment {@code deploying} or
   * {@code rollback_initiated}, a test running, or the record {@code rollback_initiated}.
   */
  public static boolean inFlight(ArtifactRecord record) {
    if (record.status() == ArtifactStatus.ROLLBACK_INITIATED) {
      return true;
    }
    for (EnvironmentState e : record.environmentStates().values()) {
      if (e.executionInFlight()) {
        return true;
      }
    }
    return false;
  }

  /** Rule 2's condition: a {@code candidate} or {@code promoted} with an environment pending. */
  public static boolean awaitsItsStart(ArtifactRecord record) {
    if (record.status() != ArtifactStatus.CANDIDATE && record.status() != ArtifactStatus.PROMOTED) {
      return false;
    }
    for (EnvironmentState e : record.environmentStates().values()) {
      if (e.status() == EnvironmentStatus.PENDING) {
        return true;
      }
    }
    return false;
  }

  /** The watchdog requeued this record ({@code execution_status = killed}): no event is coming. */
  public static boolean requeued(ArtifactRecord record) {
    return record.executionStatus() == ExecutionStatus.KILLED;
  }

  /** Rule 3's time: {@link #TTL_REFRESH_AHEAD} before a live record's {@code expire_at}. */
  public static Instant ttlRefreshAt(ArtifactRecord record) {
    return Instant.ofEpochSecond(record.expireAt()).minus(TTL_REFRESH_AHEAD);
  }

  /**
   * How long {@code record}'s execution may be in flight: its {@code execution_allowance_seconds}
   * (written by the lease), else the spec's 65 minutes.
   */
  public static Duration inFlightAllowance(ArtifactRecord record) {
    return record.executionAllowanceSeconds() == null
        ? STUCK_EXECUTION
        : Duration.ofSeconds(record.executionAllowanceSeconds());
  }

  /**
   * The watchdog stopped this record's execution and left it for an operator ({@code
   * execution_status = killed} with {@code manual_intervention_required}): a stuck rollback, which
   * must not be restarted blindly. Nothing is due until someone moves it.
   */
  public static boolean awaitingOperator(ArtifactRecord record) {
    return requeued(record) && Boolean.TRUE.equals(record.manualInterventionRequired());
  }

  /** {@code record} with its sweep attributes set (or cleared) for a write at {@code t}. */
  public static ArtifactRecord apply(ArtifactRecord record, Instant t) {
    Optional<Due> due = due(record, t);
    return record.toBuilder()
        .sweepPartition(due.map(Due::partition).orElse(null))
        .sweepDueAt(due.map(Due::dueAtEpochSeconds).orElse(null))
        .build();
  }
}
