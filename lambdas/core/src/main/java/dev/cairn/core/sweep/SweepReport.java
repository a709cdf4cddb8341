package dev.cairn.core.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;

/**
 * What one sweep did (the handler's output, and the sandbox's assertions). {@code
 * awaitingApprovals} counts pending environments left alone because their signed approvals do not
 * yet meet the environment's threshold.
 */
public record SweepReport(
    int due,
    int started,
    int alreadyStarted,
    int retried,
    int missing,
    int stopped,
    int requeued,
    int slow,
    int ttlRefreshed,
    int neverPromoted,
    int errors,
    int awaitingApprovals) {

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("due", due);
    o.put("started", started);
    o.put("already_started", alreadyStarted);
    o.put("retried", retried);
    o.put("missing", missing);
    o.put("stopped", stopped);
    o.put("requeued", requeued);
    o.put("slow", slow);
    o.put("ttl_refreshed", ttlRefreshed);
    o.put("never_promoted", neverPromoted);
    o.put("errors", errors);
    o.put("awaiting_approvals", awaitingApprovals);
    return o;
  }
}
