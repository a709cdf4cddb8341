package dev.cairn.core.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.override.port.OverrideNotifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trust root changed: the break-glass flag or the control-plane config (CI's signer keys, the
 * operators' keys, the chain). The Parameter Store Change event the CDK app's rule routes here
 * names the parameter but carries no value and no principal, so the value is read now and the
 * principal is left to CloudTrail. Each change appends one {@code TrustRootChanged} audit entry and
 * alerts the operators' topic: nobody opens break-glass or swaps a key unseen.
 */
public final class TrustRootWatch {

  /** Port: a parameter's current value; empty once deleted. */
  @FunctionalInterface
  public interface Parameters {
    Optional<String> value(String name);
  }

  /** Who the entry names: the event says what changed, not who changed it. */
  static final Actor ACTOR = new Actor(ActorRole.OPERATOR, "unattributed:ssm-parameter-change");

  private final AuditLog audit;
  private final OverrideNotifier notifier;
  private final Parameters parameters;
  private final String breakGlassParameter;
  private final String configParameter;
  private final Clock clock;

  public TrustRootWatch(
      AuditLog audit,
      OverrideNotifier notifier,
      Parameters parameters,
      String breakGlassParameter,
      String configParameter,
      Clock clock) {
    this.audit = audit;
    this.notifier = notifier;
    this.parameters = parameters;
    this.breakGlassParameter = breakGlassParameter;
    this.configParameter = configParameter;
    this.clock = clock;
  }

  /** True for an EventBridge {@code Parameter Store Change} event ({@code source aws.ssm}). */
  public static boolean isParameterChange(JsonNode payload) {
    return "aws.ssm".equals(payload.path("source").asText())
        && "Parameter Store Change".equals(payload.path("detail-type").asText());
  }

  /** Audits and alerts one change event; the result is the Lambda's output. */
  public ObjectNode changed(JsonNode event) {
    String name = event.path("detail").path("name").asText("");
    String operation = event.path("detail").path("operation").asText("");
    Map<String, String> details = new LinkedHashMap<>();
    details.put("parameter", name);
    details.put("operation", operation);
    details.put("event_id", event.path("id").asText(""));
    details.put("event_time", event.path("time").asText(""));
    details.put("principal", "see CloudTrail PutParameter/DeleteParameter for " + name);
    Optional<String> value = operation.equals("Delete") ? Optional.empty() : parameters.value(name);
    String summary;
    if (name.equals(breakGlassParameter)) {
      BreakGlassFlagState flag =
          value
              .map(v -> BreakGlassFlagState.parse(v, clock.instant()))
              .orElse(BreakGlassFlagState.missing());
      details.put("break_glass_enabled", Boolean.toString(flag.enabled()));
      if (flag.expiresAt() != null) {
        details.put("break_glass_expires_at", flag.expiresAt().toString());
      }
      details.put("break_glass_state", flag.detail());
      if (flag.legacy()) {
        details.put("break_glass_legacy_value", "true");
      }
      summary =
          flag.enabled()
              ? "break-glass OPENED until " + flag.expiresAt()
              : flag.legacy()
                  ? "break-glass set to a retired value, which means OFF: " + flag.detail()
                  : "break-glass is off (" + flag.detail() + ")";
    } else if (name.equals(configParameter)) {
      value.ifPresent(
          v -> {
            details.put("value_sha256", Sha256.hex(v.getBytes(StandardCharsets.UTF_8)));
            details.putAll(keyIds(v));
          });
      summary = "trust configuration " + operation.toLowerCase(java.util.Locale.ROOT);
    } else {
      summary = "parameter " + name + " " + operation;
    }
    details.put("summary", summary);
    ObjectNode entry =
        audit.append(
            new AuditEvent(
                clock.instant(),
                ACTOR,
                "TrustRootChanged",
                null,
                null,
                null,
                List.of(),
                null,
                null,
                details));
    ObjectNode message = Json.object();
    details.forEach(message::put);
    message.put("audit_sequence", entry.path("sequence").asLong());
    notifier.alert(
        "Cairn trust root changed: " + name + " (" + operation + ")", Json.pretty(message));
    ObjectNode out = Json.object();
    out.put("outcome", "audited");
    out.put("parameter", name);
    out.put("summary", summary);
    out.put("audit_sequence", entry.path("sequence").asLong());
    return out;
  }

  /** The key ids the new config trusts, so a revocation reads plainly in the entry. */
  private static Map<String, String> keyIds(String config) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      JsonNode root = Json.parse(config.getBytes(StandardCharsets.UTF_8));
      out.put("trusted_signer_keys", ids(root.path("trusted_signer_keys")));
      out.put("operator_keys", ids(root.path("operator_keys")));
      // The keys that bless CDK contexts are trust roots too: gate 6 accepts what they sign.
      out.put("context_signer_keys", ids(root.path("context_signer_keys")));
    } catch (IOException e) {
      out.put("config_error", "the new value is not JSON: every Lambda will refuse to start");
    }
    return out;
  }

  private static String ids(JsonNode keys) {
    StringBuilder b = new StringBuilder();
    for (JsonNode k : keys) {
      b.append(b.length() == 0 ? "" : ",").append(k.path("key_id").asText("?"));
    }
    return b.toString();
  }
}
