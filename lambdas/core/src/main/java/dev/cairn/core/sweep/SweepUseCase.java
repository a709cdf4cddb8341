package dev.cairn.core.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.SweepPolicy;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.LeaseUseCase;
import dev.cairn.core.pipeline.TransientError;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.sweep.port.ExecutionControl;
import dev.cairn.core.sweep.port.PipelineEvents;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec's "Global Artifact Sweeper" and "Execution Watchdog", run every 2 minutes, one at a
 * time. It reads only the sparse {@code sweep-due-index} ({@link DeploymentLedger#findDue}), so its
 * cost follows the work that is due, never the table (ARCHITECTURE decision 6). For each due
 * record, re-read consistently, it applies {@link SweepDecision}:
 *
 * <ul>
 *   <li>missed start: cross-check the artifact in S3, then {@code StartExecution} with a
 *       deterministic name and emit {@code SweeperTriggered}; a missing artifact is recorded (once)
 *       and alerted ({@code ArtifactMissing});
 *   <li>stuck execution (in flight for longer than 65 minutes plus bake and post-deploy watch, from
 *       {@code execution_started_at}): {@code StopExecution}, then requeue through ledger
 *       transitions with an audit entry, in the deploy and in the tests phase alike (environment
 *       {@code deploying}/{@code deployed → pending}, {@code test_running → not_tested}; the
 *       artifact status is still {@code candidate} for the first environment, {@code promoted}
 *       after it), and emit {@code StuckPipelineTerminated} and {@code SweeperCorrected}; the next
 *       sweep starts it again. A stuck rollback is stopped and flagged ({@code
 *       manual_intervention_required}), never requeued (docs/decisions/2026-12-06-watchdog.md);
 *   <li>TTL: push a live entry's {@code expire_at} forward (an annotation with its audit entry) and
 *       emit {@code SweeperCorrected}.
 * </ul>
 *
 * It also emits the {@code ArtifactNeverPromoted} metric for the candidates it saw. One item's
 * failure does not stop the sweep; the first one is rethrown at the end.
 */
public final class SweepUseCase {

  /** The {@code Actor} of every sweeper write. */
  public static final Actor ACTOR = new Actor(ActorRole.SWEEPER, "cairn-sweeper");

  /** The error name given to {@code StopExecution}; the finalizer leaves such stops to us. */
  public static final String STOP_ERROR = "StuckPipelineTerminated";

  private final DeploymentLedger ledger;
  private final ArtifactStore store;
  private final ExecutionControl executions;
  private final PipelineEvents events;
  private final PipelineMetrics metrics;
  private final EnvironmentChain chain;
  private final SweepConfig config;
  private final LeaseUseCase.Approvals approvals;
  private final Clock clock;

  /**
   * Without an approvals source: an environment that requires approvals is never started by the
   * sweeper (the lease would refuse it anyway).
   */
  public SweepUseCase(
      DeploymentLedger ledger,
      ArtifactStore store,
      ExecutionControl executions,
      PipelineEvents events,
      PipelineMetrics metrics,
      EnvironmentChain chain,
      SweepConfig config,
      Clock clock) {
    this(ledger, store, executions, events, metrics, chain, config, (k, e, d) -> 0, clock);
  }

  /**
   * @param approvals the signed approvals that count per artifact, environment and digest (the
   *     lease's own count): a pending environment short of its threshold awaits approvals, and the
   *     sweeper starts nothing for it
   */
  public SweepUseCase(
      DeploymentLedger ledger,
      ArtifactStore store,
      ExecutionControl executions,
      PipelineEvents events,
      PipelineMetrics metrics,
      EnvironmentChain chain,
      SweepConfig config,
      LeaseUseCase.Approvals approvals,
      Clock clock) {
    this.ledger = ledger;
    this.store = store;
    this.executions = executions;
    this.events = events;
    this.metrics = metrics;
    this.chain = chain;
    this.config = config;
    this.approvals = approvals;
    this.clock = clock;
  }

  /** One sweep over every partition of the sweep index. */
  public SweepReport sweep() {
    Instant now = clock.instant();
    Counts c = new Counts();
    RuntimeException first = null;
    int budget = config.maxItemsPerSweep();
    for (String partition : SweepPolicy.partitions()) {
      if (budget <= 0) {
        break;
      }
      List<ArtifactRecord> due = ledger.findDue(partition, now, budget);
      budget -= due.size();
      for (ArtifactRecord indexed : due) {
        c.due++;
        try {
          handle(indexed, now, c);
        } catch (RuntimeException e) {
          c.errors++;
          first = first == null ? e : first;
        }
      }
    }
    metrics.artifactNeverPromoted(c.neverPromoted);
    if (first != null) {
      throw first;
    }
    return c.report();
  }

  private void handle(ArtifactRecord indexed, Instant now, Counts c) {
    // The index is eventually consistent: decide on the consistent record.
    Optional<ArtifactRecord> found = ledger.find(indexed.key());
    if (found.isEmpty()) {
      return;
    }
    ArtifactRecord r = found.get();
    if (SweepDecision.neverPromoted(r, config, now)) {
      c.neverPromoted++;
    }
    SweepDecision decision = SweepDecision.decide(r, chain, config, now);
    if (decision instanceof SweepDecision.StartMissed start) {
      startMissed(r, start, c);
    } else if (decision instanceof SweepDecision.Stuck stuck) {
      terminate(r, stuck, now, c);
    } else if (decision instanceof SweepDecision.Slow) {
      c.slow++;
    } else if (decision instanceof SweepDecision.RefreshTtl ttl) {
      refreshTtl(r, ttl, c);
    }
  }

  // --- missed start --------------------------------------------------------------------------

  private void startMissed(ArtifactRecord r, SweepDecision.StartMissed start, Counts c) {
    int required = chain.get(start.environment()).approvalsRequired();
    if (required > 0
        && approvals.distinct(r.key(), start.environment(), r.artifactSha256()) < required) {
      // Awaiting approvals: a start would only be refused by the lease. Nothing is started or
      // written while the environment waits; the approval that meets the threshold starts the
      // execution, and once the count is met a lost start is retried here.
      c.awaitingApprovals++;
      return;
    }
    if (!present(start.bucket(), r)) {
      c.missing++;
      if (!Boolean.FALSE.equals(r.integrityVerified())) {
        // Record once (the annotation also re-arms the index for 5 minutes), alert once.
        ledger.annotate(
            r.key(),
            ACTOR,
            "ArtifactMissing",
            b -> b.integrityVerified(false),
            Map.of("bucket", start.bucket(), "environment", start.environment()));
        ObjectNode detail = detail(r, start.environment());
        detail.put("bucket", start.bucket());
        detail.put("severity", "critical");
        events.publish("ArtifactMissing", detail);
      }
      return;
    }
    String name = SweepDecision.executionName(start.environment(), r.commitSha(), r.version());
    ObjectNode input = Json.object();
    input.put("service", r.service());
    input.put("commit_sha", r.commitSha());
    input.put("environment", start.environment());
    input.put("trigger", "sweeper");
    input.put("bucket", start.bucket());
    input.put(
        "manifest_key",
        ArtifactLayout.prefix(r.service(), r.commitSha()) + ArtifactLayout.MANIFEST_FILE);
    ExecutionControl.Started started = executions.start(name, input);
    if (!started.existed()) {
      c.started++;
      ObjectNode detail = detail(r, start.environment());
      detail.put(
          "reason",
          r.executionStatus() == ExecutionStatus.KILLED ? "requeued_after_stuck" : "missed_event");
      detail.put("execution_name", name);
      detail.put("execution_arn", started.executionArn());
      events.publish("SweeperTriggered", detail);
      return;
    }
    Optional<String> status = executions.status(started.executionArn());
    if (status.isPresent() && !"RUNNING".equals(status.get())) {
      // This version's attempt ended without moving the record (it never took the lease).
      // Recording that changes the version, so a later sweep may try again under a new name.
      c.retried++;
      ledger.annotate(
          r.key(),
          ACTOR,
          "SweeperStartRetry",
          b -> {},
          Map.of(
              "execution_arn", started.executionArn(),
              "execution_status", status.get(),
              "environment", start.environment()));
    } else {
      c.alreadyStarted++;
    }
  }

  private boolean present(String bucket, ArtifactRecord r) {
    try {
      return store.readManifest(bucket, r.service(), r.commitSha(), 1).isPresent();
    } catch (IOException e) {
      throw new TransientError("could not check s3://" + bucket + " for " + r.key(), e);
    }
  }

  // --- watchdog ------------------------------------------------------------------------------

  private void terminate(ArtifactRecord r, SweepDecision.Stuck stuck, Instant now, Counts c) {
    String env = stuck.environment();
    String arn = r.executionId();
    String cause =
        "in flight for "
            + stuck.inFlight().toMinutes()
            + " min (allowed "
            + stuck.allowed().toMinutes()
            + " min)";
    // Stop first: once stopped, nothing else can write for this execution. The finalizer sees
    // error StuckPipelineTerminated and leaves the requeue to us.
    if (arn != null) {
      executions.stop(arn, STOP_ERROR, cause);
    }
    // Requeue: the deploy phase (deploying) and the tests phase with its bake and watch (deployed,
    // test_running) go back to pending/not_tested. Anything else in flight is a rollback: a
    // half-done rollback must not be restarted blindly, so it is flagged for an operator.
    List<StateChange> requeue = new ArrayList<>();
    EnvironmentState s = r.environment(env);
    boolean rollback =
        r.status() == ArtifactStatus.ROLLBACK_INITIATED
            || s == null
            || s.status() == EnvironmentStatus.ROLLBACK_INITIATED;
    if (!rollback && s.status() == EnvironmentStatus.DEPLOYING) {
      requeue.add(
          StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.PENDING));
    } else if (!rollback
        && s.status() == EnvironmentStatus.DEPLOYED
        && s.testStatus() == TestStatus.TEST_RUNNING) {
      requeue.add(
          StateChange.environment(env, EnvironmentStatus.DEPLOYED, EnvironmentStatus.PENDING));
    }
    boolean requeued = !requeue.isEmpty();
    if (requeued && s.testStatus() == TestStatus.TEST_RUNNING) {
      requeue.add(StateChange.test(env, TestStatus.TEST_RUNNING, TestStatus.NOT_TESTED));
    }
    try {
      ledger.transition(
          new TransitionRequest(
              r.key(),
              ACTOR,
              "StuckPipelineTerminated",
              requeue,
              b -> {
                b.executionStatus(ExecutionStatus.KILLED).executionCompletedAt(now);
                if (!requeued) {
                  b.manualInterventionRequired(true);
                }
              },
              null,
              null,
              Map.of(
                  "environment", env,
                  "execution_id", String.valueOf(arn),
                  "in_flight_minutes", Long.toString(stuck.inFlight().toMinutes()),
                  "requeued", Boolean.toString(requeued))));
    } catch (TransitionRefusedException e) {
      return; // the record moved meanwhile (the execution or the finalizer got there first)
    }
    c.stopped++;
    ObjectNode detail = detail(r, env);
    detail.put("execution_id", arn);
    detail.put("in_flight_minutes", stuck.inFlight().toMinutes());
    detail.put("requeued", requeued);
    if (!requeued) {
      // A stuck rollback: stopped and left for an operator (the index drops it meanwhile).
      detail.put("manual_intervention_required", true);
      detail.put("severity", "critical");
    }
    events.publish("StuckPipelineTerminated", detail);
    if (requeued) {
      c.requeued++;
      ObjectNode corrected = detail(r, env);
      corrected.put("correction", "requeued");
      corrected.put("execution_id", arn);
      events.publish("SweeperCorrected", corrected);
    }
  }

  // --- TTL -----------------------------------------------------------------------------------

  private void refreshTtl(ArtifactRecord r, SweepDecision.RefreshTtl ttl, Counts c) {
    ledger.annotate(
        r.key(),
        ACTOR,
        "TtlRefreshed",
        b -> b.expireAt(ttl.newExpireAt()),
        Map.of(
            "previous_expire_at", String.valueOf(r.expireAt()),
            "expire_at", Long.toString(ttl.newExpireAt())));
    c.ttlRefreshed++;
    ObjectNode detail = detail(r, null);
    detail.remove("environment");
    detail.put("correction", "ttl_refreshed");
    detail.put("expire_at", ttl.newExpireAt());
    events.publish("SweeperCorrected", detail);
  }

  private static ObjectNode detail(ArtifactRecord r, String environment) {
    ObjectNode o = Json.object();
    o.put("service", r.service());
    o.put("commit_sha", r.commitSha());
    o.put("environment", environment);
    o.put("status", r.status().value());
    return o;
  }

  private static final class Counts {
    int due;
    int started;
    int alreadyStarted;
    int retried;
    int missing;
    int stopped;
    int requeued;
    int slow;
    int ttlRefreshed;
    int neverPromoted;
    int errors;
    int awaitingApprovals;

    SweepReport report() {
      return new SweepReport(
          due,
          started,
          alreadyStarted,
          retried,
          missing,
          stopped,
          requeued,
          slow,
          ttlRefreshed,
          neverPromoted,
          errors,
          awaitingApprovals);
    }
  }
}
