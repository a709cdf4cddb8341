package dev.cairn.aws.integrity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.ledger.port.IntegrityAlerts;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@link IntegrityAlerts} for the control plane's functions: an audit entry {@code
 * RecordUnauthenticated} naming the item, the code and the reason, then a message to the alert
 * topic ({@code ALERT_TOPIC_ARN}) that names the entry. The entry may be impossible (a tampered
 * chain head refuses the append): the alert is sent anyway and says why. A refusal raised while
 * writing that entry is not reported again.
 */
public final class SnsAuditedIntegrityAlerts implements IntegrityAlerts {

  /** The audit action of a refused item. */
  public static final String ACTION = "RecordUnauthenticated";

  private final SnsClient sns;
  private final String topicArn;
  private final Supplier<AuditLog> auditLog;
  private final Actor actor;
  private final Clock clock;
  private final ThreadLocal<Boolean> reporting = ThreadLocal.withInitial(() -> false);

  /**
   * @param auditLog supplies the log the entry is appended to (built lazily: the log reports its
   *     own refusals here)
   */
  public SnsAuditedIntegrityAlerts(
      SnsClient sns, String topicArn, Supplier<AuditLog> auditLog, Actor actor, Clock clock) {
    this.sns = sns;
    this.topicArn = topicArn;
    this.auditLog = auditLog;
    this.actor = actor;
    this.clock = clock;
  }

  /**
   * Alerts without an audit entry: for a function that may only read the audit log (the anchorer).
   * The alert says that no entry was written and why.
   */
  public static SnsAuditedIntegrityAlerts alertOnly(
      SnsClient sns, String topicArn, Actor actor, Clock clock) {
    return new SnsAuditedIntegrityAlerts(
        sns,
        topicArn,
        () -> {
          throw new IllegalStateException(
              actor.id() + " reads the audit log and may not append to it");
        },
        actor,
        clock);
  }

  @Override
  public void unauthenticated(RecordUnauthenticatedException refusal) {
    if (reporting.get()) {
      return;
    }
    reporting.set(true);
    try {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("code", refusal.failure().name());
      details.put("item", refusal.itemKey());
      details.put("reason", refusal.reason().name());
      String audited;
      try {
        ObjectNode entry =
            auditLog
                .get()
                .append(
                    new AuditEvent(
                        clock.instant(),
                        actor,
                        ACTION,
                        null,
                        null,
                        null,
                        null,
                        refusal.failure().summary(),
                        null,
                        details));
        audited = entry.path("event_id").asText();
      } catch (RuntimeException e) {
        audited = "not written: " + e.getMessage();
      }
      ObjectNode message = Json.object();
      message.put("kind", "integrity_alert");
      details.forEach(message::put);
      message.put("summary", refusal.failure().summary());
      message.put("actor", actor.id());
      message.put("audit_event", audited);
      message.put("at", clock.instant().toString());
      sns.publish(
          r ->
              r.topicArn(topicArn)
                  .subject(refusal.failure().name() + " " + refusal.itemKey())
                  .message(Json.compact(message)));
    } finally {
      reporting.set(false);
    }
  }
}
