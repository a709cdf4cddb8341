package dev.cairn.core.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.LifecycleTransitions;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.lifecycle.TransitionRefusedException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pure part of a transition, shared by every ledger adapter: check the moves, compute the next
 * record (version + 1, sweep attributes, audit id appended) and the audit event. The adapter only
 * has to write the result atomically.
 */
public final class TransitionPlanner {

  /** The planned write. */
  public record Plan(ArtifactRecord before, ArtifactRecord after, AuditEvent event) {}

  private TransitionPlanner() {}

  /**
   * Plans {@code request} against {@code current}. {@code auditEventId} is the id the audit entry
   * will have. Throws {@link TransitionRefusedException} when a move is not allowed or stale.
   */
  public static Plan plan(
      ArtifactRecord current, TransitionRequest request, Instant now, String auditEventId) {
    ArtifactRecord.Builder b = current.toBuilder();
    for (StateChange change : request.changes()) {
      LifecycleTransitions.check(change, request.actor().role());
      apply(b, current, change);
    }
    ArtifactRecord moved = b.build();
    request.attributes().accept(b);
    ArtifactRecord amended = b.build();
    if (!lifecycle(moved).equals(lifecycle(amended))
        || !amended.key().equals(current.key())
        || amended.version() != current.version()) {
      throw new IllegalArgumentException(
          "transition attributes may not change status fields, the key or the version; use StateChange");
    }
    List<String> ids =
        new ArrayList<>(current.auditEventIds() == null ? List.of() : current.auditEventIds());
    ids.add(auditEventId);
    ArtifactRecord after =
        SweepPolicy.apply(
            amended.toBuilder()
                .version(current.version() + 1)
                .updatedAt(now)
                .auditEventIds(ids)
                .build(),
            now);
    AuditEvent event =
        new AuditEvent(
            now,
            request.actor(),
            request.action(),
            current.key(),
            lifecycle(current),
            lifecycle(after),
            request.changes(),
            request.reason(),
            request.signature(),
            request.details());
    return new Plan(current, after, event);
  }

  /** Plans the creation of {@code candidate} (version 1, status {@code candidate}). */
  public static Plan planCreate(
      ArtifactRecord candidate,
      dev.cairn.core.audit.Actor actor,
      Instant now,
      String auditEventId) {
    if (!LifecycleTransitions.CREATORS.contains(actor.role())) {
      throw new TransitionRefusedException(
          Reason.ACTOR_NOT_ALLOWED,
          "actor role "
              + actor.role()
              + " may not create artifact records; allowed: "
              + LifecycleTransitions.CREATORS);
    }
    if (candidate.status() != ArtifactStatus.CANDIDATE) {
      throw new TransitionRefusedException(
          Reason.ILLEGAL_TRANSITION, "a new record starts as candidate, not " + candidate.status());
    }
    ArtifactRecord after =
        SweepPolicy.apply(
            candidate.toBuilder()
                .version(1)
                .createdAt(now)
                .updatedAt(now)
                .auditEventIds(List.of(auditEventId))
                .build(),
            now);
    AuditEvent event =
        new AuditEvent(
            now,
            actor,
            "ArtifactPublished",
            candidate.key(),
            null,
            lifecycle(after),
            List.of(),
            null,
            null,
            Map.of(
                "artifact_sha256", Objects.toString(candidate.artifactSha256(), ""),
                "artifact_url", Objects.toString(candidate.artifactUrl(), ""),
                // Where lead time starts when the manifest knows no commit time (docs/kpis.md).
                "build_time", Objects.toString(candidate.buildTime(), "")));
    return new Plan(null, after, event);
  }

  /** The lifecycle part of a record, as recorded in audit entries' {@code before}/{@code after}. */
  public static ObjectNode lifecycle(ArtifactRecord r) {
    ObjectNode o = Json.object();
    o.put("status", r.status().value());
    o.put("version", r.version());
    ObjectNode envs = o.putObject("environment_states");
    r.environmentStates().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              ObjectNode env = envs.putObject(e.getKey());
              env.put("status", e.getValue().status().value());
              env.put("test_status", e.getValue().testStatus().value());
            });
    return o;
  }

  /**
   * ISO-8601 UTC with milliseconds, the text of every {@code *_at} attribute ({@link LedgerTime}),
   * for the messages and outputs that carry a time as a string.
   */
  public static String iso(Instant t) {
    return LedgerTime.format(LedgerTime.millis(t));
  }

  private static void apply(ArtifactRecord.Builder b, ArtifactRecord current, StateChange change) {
    switch (change.field()) {
      case STATUS -> {
        ArtifactStatus now = current.status();
        expect(change, now.value(), current);
        b.status(ArtifactStatus.of(change.to()));
      }
      case ENVIRONMENT_STATUS, TEST_STATUS -> {
        EnvironmentState env =
            b.environmentStates() == null ? null : b.environmentStates().get(change.environment());
        if (env == null) {
          throw new TransitionRefusedException(
              Reason.UNKNOWN_ENVIRONMENT,
              current.key()
                  + " has no environment "
                  + change.environment()
                  + "; environments: "
                  + current.environmentStates().keySet());
        }
        if (change.field() == dev.cairn.core.lifecycle.StateField.ENVIRONMENT_STATUS) {
          expect(change, env.status().value(), current);
          b.environment(change.environment(), env.withStatus(EnvironmentStatus.of(change.to())));
        } else {
          expect(change, env.testStatus().value(), current);
          b.environment(change.environment(), env.withTestStatus(TestStatus.of(change.to())));
        }
      }
    }
  }

  private static void expect(StateChange change, String actual, ArtifactRecord current) {
    if (!change.from().equals(actual)) {
      throw new TransitionRefusedException(
          Reason.STALE_STATE,
          "cannot move "
              + change
              + " on "
              + current.key()
              + ": "
              + change.path()
              + " is "
              + actual
              + " (version "
              + current.version()
              + ")");
    }
  }
}
