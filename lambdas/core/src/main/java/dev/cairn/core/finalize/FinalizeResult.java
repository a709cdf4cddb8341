package dev.cairn.core.finalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.util.List;

/**
 * What the finalizer did.
 *
 * @param outcome {@code corrected}, {@code recorded} (execution fields only), {@code unchanged}
 *     (already finalized: the idempotent second run) or {@code ignored}
 * @param corrections the lifecycle moves applied, as {@code path: from -> to}
 * @param reason why, in words
 * @param evidenceKey the release evidence record the finalizer wrote for the execution, or null
 */
public record FinalizeResult(
    String outcome, List<String> corrections, String reason, String evidenceKey) {

  public FinalizeResult {
    corrections = List.copyOf(corrections);
  }

  public FinalizeResult(String outcome, List<String> corrections, String reason) {
    this(outcome, corrections, reason, null);
  }

  FinalizeResult withEvidence(String key) {
    return new FinalizeResult(outcome, corrections, reason, key);
  }

  static FinalizeResult ignored(String reason) {
    return new FinalizeResult("ignored", List.of(), reason);
  }

  public boolean corrected() {
    return outcome.equals("corrected");
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("outcome", outcome);
    corrections.forEach(o.putArray("corrections")::add);
    o.put("reason", reason);
    if (evidenceKey != null) {
      o.put("evidence_key", evidenceKey);
    }
    return o;
  }
}
