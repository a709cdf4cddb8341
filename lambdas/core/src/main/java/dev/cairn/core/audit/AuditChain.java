package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.StateChange;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain (see {@code docs/audit-chain.md}).
 *
 * <pre>
 * log_hash(n) = lowercase_hex( SHA-256( JCS( entry(n) without "log_hash" ) ) )
 * entry(n).previous_log_hash = log_hash(n-1),  entry(1).previous_log_hash = 64 × "0"
 * </pre>
 *
 * JCS is RFC 8785 ({@link CanonicalJson}). The hashed object holds every other member, including
 * {@code chain_id}, {@code sequence} and {@code previous_log_hash}, so an entry cannot be moved,
 * renumbered or relinked without changing its hash.
 */
public final class AuditChain {

  /** {@code previous_log_hash} of the first entry. */
  public static final String GENESIS_HASH = "0".repeat(64);

  /** Default chain id: one chain per deployment of Cairn. */
  public static final String DEFAULT_CHAIN_ID = "cairn";

  /** Version of the entry format ({@code schema/audit-event.v1.json}). */
  public static final int EVENT_VERSION = 1;

  private AuditChain() {}

  /** The {@code log_hash} an entry must carry. */
  public static String logHash(ObjectNode entry) {
    return Sha256.hex(CanonicalJson.canonicalizeWithout(entry, "log_hash"));
  }

  /** The id of entry {@code sequence} of {@code chainId}: {@code <chain_id>:<sequence>}. */
  public static String eventId(String chainId, long sequence) {
    return chainId + ":" + sequence;
  }

  /** Seals {@code event} as the entry after {@code head}. */
  public static ObjectNode seal(AuditEvent event, AuditHead head) {
    long sequence = head.sequence() + 1;
    ObjectNode e = Json.object();
    e.put("event_version", EVENT_VERSION);
    e.put("chain_id", head.chainId());
    e.put("sequence", sequence);
    e.put("event_id", eventId(head.chainId(), sequence));
    e.put(
        "timestamp",
        DateTimeFormatter.ISO_INSTANT.format(event.timestamp().truncatedTo(ChronoUnit.MILLIS)));
    ObjectNode actor = e.putObject("actor");
    actor.put("role", event.actor().role().value());
    actor.put("id", event.actor().id());
    e.put("action", event.action());
    if (event.artifact() != null) {
      ObjectNode a = e.putObject("artifact");
      a.put("service", event.artifact().service());
      a.put("commit_sha", event.artifact().commitSha());
    }
    if (event.before() != null) {
      e.set("before", event.before().deepCopy());
    }
    if (event.after() != null) {
      e.set("after", event.after().deepCopy());
    }
    ArrayNode changes = e.putArray("changes");
    for (StateChange c : event.changes()) {
      ObjectNode o = changes.addObject();
      o.put("field", c.path());
      o.put("from", c.from());
      o.put("to", c.to());
    }
    if (event.reason() != null) {
      e.put("reason", event.reason());
    }
    if (event.signature() != null) {
      e.put("signature", event.signature());
    }
    ObjectNode details = e.putObject("details");
    for (Map.Entry<String, String> d : new TreeMap<>(event.details()).entrySet()) {
      details.put(d.getKey(), d.getValue());
    }
    e.put("previous_log_hash", head.logHash());
    e.put("log_hash", logHash(e));
    return e;
  }

  /** The head after appending {@code entry}. */
  public static AuditHead headAfter(JsonNode entry) {
    return new AuditHead(
        entry.path("chain_id").asText(),
        entry.path("sequence").asLong(),
        entry.path("log_hash").asText(),
        entry.path("timestamp").asText());
  }
}
