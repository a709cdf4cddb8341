package dev.cairn.core.sweep;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.SweepPolicy;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.pipeline.EnvironmentChain;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the sweeper does with one record it found on the sweep index, decided from the record alone
 * (pure; the rules of {@link SweepPolicy}, which places the record on the index, through its own
 * conditions {@link SweepPolicy#awaitsItsStart}, {@link SweepPolicy#requeued} and {@link
 * SweepPolicy#ttlRefreshAt}; in flight is {@link SweepPolicy#inFlight}'s condition, read here
 * environment by environment to name the one the watchdog acts on; first match wins):
 *
 * <ol>
 *   <li>an execution is in flight: {@link NothingDue} when the watchdog already stopped it and left
 *       it for an operator ({@link SweepPolicy#awaitingOperator}); {@link Stuck} when it has been
 *       in flight since {@code execution_started_at} for longer than the watchdog allows ({@link
 *       #allowedInFlight}), however often it wrote the ledger meanwhile; else {@link Slow} (see
 *       docs/decisions/2026-12-06-watchdog.md);
 *   <li>{@code candidate}/{@code promoted} with an environment {@code pending} for at least {@link
 *       SweepPolicy#MISSED_EVENT_GRACE}: {@link StartMissed} for the first pending environment;
 *   <li>{@code promoted} with {@code expire_at} within {@link SweepPolicy#TTL_REFRESH_AHEAD}:
 *       {@link RefreshTtl};
 *   <li>otherwise {@link NothingDue} (the index lags the table, or the grace has not passed).
 * </ol>
 */
public sealed interface SweepDecision {

  /** Start the pipeline for {@code environment} from {@code bucket}. */
  record StartMissed(String environment, String bucket) implements SweepDecision {}

  /** The execution has been in flight for {@code inFlight}, more than {@code allowed}. */
  record Stuck(String environment, Duration inFlight, Duration allowed) implements SweepDecision {}

  /** In flight and still within the watchdog's allowance. */
  record Slow(String environment, Duration inFlight, Duration allowed) implements SweepDecision {}

  /** Push {@code expire_at} to {@code newExpireAt} (epoch seconds). */
  record RefreshTtl(long newExpireAt) implements SweepDecision {}

  /** Nothing to do now. */
  record NothingDue() implements SweepDecision {}

  /** Decides for {@code r} at {@code now}. */
  static SweepDecision decide(
      ArtifactRecord r, EnvironmentChain chain, SweepConfig config, Instant now) {
    String inFlight = inFlightEnvironment(r, chain);
    if (inFlight != null) {
      if (SweepPolicy.awaitingOperator(r)) {
        return new NothingDue();
      }
      Instant started = startedAt(r);
      Duration inFlightFor = started == null ? Duration.ZERO : Duration.between(started, now);
      Duration allowed = allowedInFlight(r, chain, inFlight);
      return inFlightFor.compareTo(allowed) > 0
          ? new Stuck(inFlight, inFlightFor, allowed)
          : new Slow(inFlight, inFlightFor, allowed);
    }
    if (SweepPolicy.awaitsItsStart(r)) {
      for (String env : chain.names()) {
        EnvironmentState s = r.environment(env);
        if (s != null && s.status() == EnvironmentStatus.PENDING) {
          Instant since = r.updatedAt() == null ? null : r.updatedAt();
          if (!SweepPolicy.requeued(r)
              && since != null
              && since.plus(SweepPolicy.MISSED_EVENT_GRACE).isAfter(now)) {
            return new NothingDue();
          }
          boolean first = env.equals(chain.first().name());
          return new StartMissed(env, first ? config.candidateBucket() : config.releaseBucket());
        }
      }
    }
    if (r.status() == ArtifactStatus.PROMOTED
        && r.expireAt() != null
        && !SweepPolicy.ttlRefreshAt(r).isAfter(now)) {
      return new RefreshTtl(now.plus(config.ttl()).getEpochSecond());
    }
    return new NothingDue();
  }

  /**
   * How long an execution may be in flight before the watchdog stops it: the environment's
   * allowance from the control plane's own configuration ({@link
   * EnvironmentChain#inFlightAllowance}: 65 minutes plus bake plus post-deploy watch). The record's
   * {@code execution_allowance_seconds} only places the record on the sweep index ({@code
   * sweep_due_at}); the decision never rests on a field another principal could have written.
   */
  static Duration allowedInFlight(ArtifactRecord r, EnvironmentChain chain, String environment) {
    return chain.inFlightAllowance(environment);
  }

  /** The environment an execution is working on, or null when nothing is in flight. */
  static String inFlightEnvironment(ArtifactRecord r, EnvironmentChain chain) {
    for (Map.Entry<String, EnvironmentState> e : r.environmentStates().entrySet()) {
      if (e.getValue().executionInFlight()) {
        return e.getKey();
      }
    }
    // The record itself is rollback_initiated: the rollback runs in the last environment.
    return r.status() == ArtifactStatus.ROLLBACK_INITIATED ? chain.last().name() : null;
  }

  /**
   * When the execution started: {@code execution_started_at}, else (a record written before the
   * lease recorded it) {@code updated_at}, the same instant {@link SweepPolicy#due} falls back to.
   */
  static Instant startedAt(ArtifactRecord r) {
    if (r.executionStartedAt() != null) {
      return r.executionStartedAt();
    }
    return r.updatedAt();
  }

  /** The spec's {@code ArtifactNeverPromoted}: a candidate older than the configured age. */
  static boolean neverPromoted(ArtifactRecord r, SweepConfig config, Instant now) {
    Instant born = r.buildTime() != null ? r.buildTime() : r.createdAt();
    return r.status() == ArtifactStatus.CANDIDATE
        && born != null
        && born.plus(config.neverPromotedAfter()).isBefore(now);
  }

  /**
   * The deterministic execution name of a sweeper start: {@code sweep-<env>-<commit12>-v<version>}.
   * Two sweeps that see the same record version use the same name, so Step Functions refuses the
   * second; any ledger write changes the version and so allows a fresh attempt.
   */
  static String executionName(String environment, String commitSha, long version) {
    String env = environment.replaceAll("[^A-Za-z0-9_-]", "-");
    String name =
        "sweep-"
            + env
            + "-"
            + commitSha.substring(0, Math.min(12, commitSha.length()))
            + "-v"
            + version;
    return name.length() <= 80 ? name : name.substring(0, 80);
  }
}
