package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;

import dev.cairn.core.audit.AuditChain;
import dev.cairn.sandbox.metrics.AlarmState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attacks on the audit log's tamper evidence: its items are MAC'd by the control plane, and the
 * anchorer that publishes its head is watched by an alarm.
 */
final class AuditAttacks {

  /** How long the anchorer is kept silent. */
  static final Duration SILENCED_FOR = Duration.ofMinutes(20);

  private AuditAttacks() {}

  /**
   * A principal with write access to the audit table edits an anchored entry, so that every
   * anchorer run refuses the chain and no anchor is published again. The edit cannot be prevented
   * by the control plane (the table's writer did it), only detected: the anchorer's MAC check
   * refuses the entry and alerts, and without its heartbeat the AnchorHeartbeat alarm goes to ALARM
   * within one anchor period of the first failed run.
   */
  static void anchorerSilenced(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    Duration anchorPeriod = w.schedule("audit-anchorer");
    // One anchor period on the schedule: the chain is anchored and the heartbeat is fresh.
    advance(w, anchorPeriod, t -> {});
    AlarmState before = heartbeatAlarm(w);
    if (!before.state().equals(AlarmState.OK)) {
      throw new IllegalStateException(
          "the anchorer's alarm is not OK before the attack: " + before);
    }

    Attack a =
        c.attack(
            "silence the anchorer: edit an anchored audit entry in the table so that every"
                + " anchorer run refuses the chain");
    List<Instant> failedRuns = new ArrayList<>();
    w.onScheduledFailure =
        (module, e) -> {
          if (!module.equals("audit-anchorer")) {
            throw e;
          }
          failedRuns.add(w.clock.instant());
          c.note("the scheduled anchorer run fails: " + e.getMessage());
        };
    c.note("a principal with UpdateItem on " + SandboxWorld.AUDIT_TABLE + " edits entry 1");
    w.dynamoDb.updateItem(
        r ->
            r.tableName(SandboxWorld.AUDIT_TABLE)
                .key(
                    Map.of(
                        "chain_id", AttributeValue.fromS(AuditChain.DEFAULT_CHAIN_ID),
                        "sequence", AttributeValue.fromN("1")))
                .updateExpression("SET reason = :r")
                .expressionAttributeValues(
                    Map.of(":r", AttributeValue.fromS("published by the operator"))));

    Instant[] alarmedAt = {null};
    advance(
        w,
        SILENCED_FOR,
        now -> {
          if (alarmedAt[0] == null && heartbeatAlarm(w).state().equals(AlarmState.ALARM)) {
            alarmedAt[0] = now;
          }
        });
    if (failedRuns.size() < 2) {
      throw new IllegalStateException(
          "the anchorer was to fail on every run for " + SILENCED_FOR + ": " + failedRuns);
    }
    if (alarmedAt[0] == null
        || Duration.between(failedRuns.get(0), alarmedAt[0]).compareTo(anchorPeriod) > 0) {
      throw new IllegalStateException(
          "AnchorHeartbeat was to be in ALARM within "
              + anchorPeriod
              + " of the first failed run ("
              + failedRuns.get(0)
              + "), was at "
              + alarmedAt[0]);
    }
    AlarmState alarm = heartbeatAlarm(w);
    c.note(
        alarm.alarmName()
            + " in ALARM at "
            + alarmedAt[0]
            + " ("
            + Duration.between(failedRuns.get(0), alarmedAt[0]).toMinutes()
            + " min after the first failed run): "
            + alarm.reason());
    boolean alerted =
        w.sns.published().stream()
            .anyMatch(
                p ->
                    p.topicArn().equals(w.alertTopicArn())
                        && p.message().contains("AUDIT_ENTRY_UNAUTHENTICATED"));
    if (!alerted) {
      throw new IllegalStateException("the anchorer's MAC refusal raised no alert");
    }
    w.onScheduledFailure =
        (module, e) -> {
          throw e;
        };
    a.detected(
        alarm.alarmName(),
        "the anchorer's MAC check (AUDIT_ENTRY_UNAUTHENTICATED, alerted) and the AnchorHeartbeat"
            + " alarm: no heartbeat for a whole anchor period, missing data breaching");
  }

  /** Moves the virtual clock minute by minute, firing what the schedules make due. */
  private static void advance(
      SandboxWorld w, Duration d, java.util.function.Consumer<Instant> eachMinute) {
    for (long m = 0; m < d.toMinutes(); m++) {
      w.clock.advance(Duration.ofMinutes(1));
      w.drain();
      eachMinute.accept(w.clock.instant());
    }
  }

  private static AlarmState heartbeatAlarm(SandboxWorld w) {
    return RunChecks.alarmStates(w).stream()
        .filter(
            s ->
                s.reason().startsWith("AnchorHeartbeat ")
                    || s.alarmName().contains("AnchorHeartbeat"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the assembly has no AnchorHeartbeat alarm"));
  }
}
