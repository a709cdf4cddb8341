package dev.cairn.core.pipeline;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.StateField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Ledger writes made safe to repeat: Step Functions retries a Lambda after a timeout even when the
 * first attempt committed, so a move whose target value already holds is skipped rather than
 * refused.
 */
public final class LedgerMoves {

  private LedgerMoves() {}

  public static ArtifactRecord current(DeploymentLedger ledger, ArtifactKey key) {
    return ledger
        .find(key)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the ledger has no record of " + key.service() + "@" + key.commitSha()));
  }

  /**
   * Applies the moves that do not already hold, with their attributes and audit entry. Returns the
   * record after the write (or as found, when nothing was left to move and {@code alwaysWrite} is
   * false).
   */
  public static ArtifactRecord move(
      DeploymentLedger ledger,
      PipelineRequest req,
      String action,
      List<StateChange> changes,
      Consumer<ArtifactRecord.Builder> attributes,
      Map<String, String> details) {
    ArtifactRecord record = current(ledger, req.key());
    List<StateChange> needed = new ArrayList<>();
    for (StateChange c : changes) {
      if (!valueOf(record, c).equals(c.to())) {
        needed.add(c);
      }
    }
    if (needed.isEmpty()) {
      return record;
    }
    return ledger
        .transition(
            new TransitionRequest(
                req.key(), req.actor(), action, needed, attributes, null, null, details))
        .after();
  }

  /** The value a change's field has in {@code r}. */
  static String valueOf(ArtifactRecord r, StateChange c) {
    if (c.field() == StateField.STATUS) {
      return r.status().value();
    }
    EnvironmentState e = r.environment(c.environment());
    if (e == null) {
      throw new IllegalArgumentException("the record has no environment " + c.environment());
    }
    return c.field() == StateField.ENVIRONMENT_STATUS ? e.status().value() : e.testStatus().value();
  }

  /** An attribute update that rewrites one environment's non-lifecycle fields. */
  public static Consumer<ArtifactRecord.Builder> env(
      String environment, UnaryOperator<EnvironmentState> update) {
    return b -> {
      Map<String, EnvironmentState> states = new LinkedHashMap<>(b.environmentStates());
      states.put(environment, update.apply(states.get(environment)));
      b.environmentStates(states);
    };
  }

  /** Copies {@code s} with new timestamps, deployment id and durations (null keeps a value). */
  public static EnvironmentState times(
      EnvironmentState s,
      Instant deployStartedAt,
      Instant deployCompletedAt,
      Instant testStartedAt,
      Instant testCompletedAt,
      String deploymentId,
      Long deployDurationSeconds,
      Long testDurationSeconds) {
    return new EnvironmentState(
        s.status(),
        s.testStatus(),
        s.region(),
        deployStartedAt != null ? deployStartedAt : s.deployStartedAt(),
        deployCompletedAt != null ? deployCompletedAt : s.deployCompletedAt(),
        testStartedAt != null ? testStartedAt : s.testStartedAt(),
        testCompletedAt != null ? testCompletedAt : s.testCompletedAt(),
        deploymentId != null ? deploymentId : s.deploymentId(),
        deployDurationSeconds != null ? deployDurationSeconds : s.deployDurationSeconds(),
        testDurationSeconds != null ? testDurationSeconds : s.testDurationSeconds());
  }
}
