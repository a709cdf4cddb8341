package dev.cairn.core.anchor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.anchor.port.AnchorMetrics;
import dev.cairn.core.anchor.port.AnchorPublisher;
import dev.cairn.core.anchor.port.AnchorStore;
import dev.cairn.core.anchor.port.AnchorTrail;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.json.Json;
import dev.cairn.core.kpi.KpiGauges;
import dev.cairn.core.kpi.port.KpiMetrics;
import dev.cairn.core.ledger.TransitionPlanner;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The audit anchorer (every 10 minutes), in order:
 *
 * <ol>
 *   <li>read the chain head and the latest anchor;
 *   <li>verify the whole chain against its head, check that the entry the previous anchor names
 *       still carries its {@code log_hash} (a broken or rewritten chain is never anchored: {@link
 *       AnchorMismatch}), and summarise the high-privilege actions since the previous anchor;
 *   <li>if the head moved: write the anchor object write-once ({@code If-None-Match: *}) under a
 *       key ordered by sequence number; an existing object for the same sequence must agree;
 *   <li>publish the message ({@code kind: anchor}, or {@code heartbeat} when nothing was appended)
 *       and send it to CloudTrail Lake when a channel is configured;
 *   <li>publish seed 004's KPIs ({@link KpiGauges}), computed in the same pass from the chain just
 *       verified: they rest on entries whose hashes hold, never on the mutable ledger;
 *   <li>emit {@code AnchorHeartbeat} ({@link AnchorMetrics}): only a run that got this far counts
 *       as alive.
 * </ol>
 */
public final class AuditAnchorer {

  /** At most this many high-privilege entries are listed in one message (all are counted). */
  public static final int MAX_LISTED_ACTIONS = 50;

  private final AuditLog log;
  private final AnchorStore store;
  private final AnchorPublisher publisher;
  private final AnchorTrail trail;
  private final AnchorMetrics metrics;
  private final KpiMetrics kpiMetrics;
  private final String prodEnvironment;
  private final Clock clock;

  public AuditAnchorer(
      AuditLog log,
      AnchorStore store,
      AnchorPublisher publisher,
      AnchorTrail trail,
      AnchorMetrics metrics,
      KpiMetrics kpiMetrics,
      String prodEnvironment,
      Clock clock) {
    this.log = log;
    this.store = store;
    this.publisher = publisher;
    this.trail = trail;
    this.metrics = metrics;
    this.kpiMetrics = kpiMetrics;
    this.prodEnvironment = java.util.Objects.requireNonNull(prodEnvironment, "prodEnvironment");
    this.clock = clock;
  }

  /** Runs once; returns the published message. */
  public ObjectNode anchor() {
    // 1. Head and previous anchor.
    AuditHead head = log.head();
    String chain = log.chainId();
    Optional<ObjectNode> previous = store.latest(chain);
    long prevSeq = previous.map(p -> p.path("sequence").asLong()).orElse(0L);
    if (previous.isPresent() && head.sequence() < prevSeq) {
      throw new AnchorMismatch(
          "the chain head is at sequence "
              + head.sequence()
              + " but anchor "
              + Anchors.key(chain, prevSeq)
              + " was written at "
              + prevSeq
              + ": entries were removed");
    }
    boolean moved = head.sequence() > prevSeq;

    // 2. Entries after the previous anchor; the anchored one must be unchanged.
    ObjectNode summary = Json.object();
    ArrayNode listed = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    Map<String, Integer> byAction = new TreeMap<>();
    int count = 0;
    String lastTimestamp = head.timestamp();
    final int[] counter = {0};
    final String[] last = {head.timestamp()};
    KpiGauges.Reader kpis = new KpiGauges.Reader(prodEnvironment, clock.instant());
    Iterator<ObjectNode> source = log.entries();
    Iterator<ObjectNode> observed =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return source.hasNext();
          }

          @Override
          public ObjectNode next() {
            ObjectNode e = source.next();
            long seq = e.path("sequence").asLong();
            if (seq == prevSeq && previous.isPresent()) {
              String anchored = previous.get().path("log_hash").asText();
              if (!anchored.equals(e.path("log_hash").asText())) {
                throw new AnchorMismatch(
                    "entry "
                        + seq
                        + " has log_hash "
                        + e.path("log_hash").asText()
                        + " but anchor "
                        + Anchors.key(chain, prevSeq)
                        + " recorded "
                        + anchored
                        + ": the chain was rewritten after anchoring");
              }
            }
            if (seq == head.sequence()) {
              last[0] = e.path("timestamp").asText(last[0]);
            }
            if (seq <= head.sequence()) {
              kpis.accept(e);
            }
            if (seq > prevSeq && seq <= head.sequence() && Anchors.highPrivilege(e)) {
              counter[0]++;
              byAction.merge(e.path("action").asText(), 1, Integer::sum);
              if (listed.size() < MAX_LISTED_ACTIONS) {
                listed.add(listedAction(e, seq));
              }
            }
            return e;
          }
        };
    // The whole chain must verify: an anchor only ever attests a chain that holds.
    AuditVerification verification = AuditChainVerifier.verify(observed, head);
    if (!verification.valid()) {
      throw new AnchorMismatch(
          "the audit chain does not verify at sequence "
              + verification.firstBadSequence()
              + " ("
              + verification.reason()
              + ": "
              + verification.detail()
              + "); nothing was anchored");
    }
    count = counter[0];
    lastTimestamp = last[0];
    summary.put("count", count);
    summary.put("truncated", count > listed.size());
    ObjectNode by = summary.putObject("by_action");
    byAction.forEach(by::put);
    summary.set("entries", listed);

    // 3. The anchor object (only when the head moved).
    ObjectNode msg = Json.object();
    msg.put("schema_version", "1");
    msg.put("kind", moved ? "anchor" : "heartbeat");
    msg.put("chain_id", chain);
    msg.put("sequence", head.sequence());
    msg.put("chain_depth", head.sequence());
    msg.put("log_hash", head.logHash());
    if (lastTimestamp == null) {
      msg.putNull("last_entry_timestamp");
    } else {
      msg.put("last_entry_timestamp", lastTimestamp);
    }
    msg.put("anchored_at", TransitionPlanner.iso(clock.instant()));
    if (previous.isPresent()) {
      ObjectNode p = msg.putObject("previous_anchor");
      p.put("sequence", prevSeq);
      p.put("log_hash", previous.get().path("log_hash").asText());
      p.put("anchor_hash", previous.get().path("anchor_hash").asText());
      p.put("object_key", Anchors.key(chain, prevSeq));
    } else {
      msg.putNull("previous_anchor");
    }
    msg.set("high_privilege_actions", summary);
    if (moved) {
      String key = Anchors.key(chain, head.sequence());
      msg.put("object_key", key);
      Anchors.seal(msg);
      if (!store.putIfAbsent(key, msg)) {
        // Another run anchored this sequence: it must name the same log_hash.
        ObjectNode existing = store.get(key).orElseThrow();
        if (!head.logHash().equals(existing.path("log_hash").asText())) {
          throw new AnchorMismatch(
              "anchor "
                  + key
                  + " records log_hash "
                  + existing.path("log_hash").asText()
                  + " but the chain head is "
                  + head.logHash());
        }
        msg = existing;
      }
    } else {
      if (previous.isPresent()) {
        msg.put("object_key", Anchors.key(chain, prevSeq));
      } else {
        msg.putNull("object_key");
      }
      Anchors.seal(msg);
    }

    // 4. Publish (always: a heartbeat proves the anchorer is alive), then CloudTrail Lake.
    publisher.publish(msg);
    trail.record(msg);
    // 5. KPIs of the verified chain.
    kpiMetrics.deliveryKpis(kpis.gauges());
    // 6. Alive: the alarm on AnchorHeartbeat treats a missing datum as breaching.
    metrics.anchorHeartbeat();
    return msg;
  }

  private static ObjectNode listedAction(ObjectNode e, long seq) {
    ObjectNode a = Json.object();
    a.put("sequence", seq);
    a.put("timestamp", e.path("timestamp").asText());
    a.put("action", e.path("action").asText());
    a.put(
        "actor", e.path("actor").path("role").asText() + ":" + e.path("actor").path("id").asText());
    if (e.has("artifact")) {
      a.put("service", e.path("artifact").path("service").asText());
      a.put("commit_sha", e.path("artifact").path("commit_sha").asText());
    }
    String override = e.path("details").path("override_action").asText(null);
    if (override != null) {
      a.put("override_action", override);
    }
    String outcome = e.path("details").path("outcome").asText(null);
    if (outcome != null) {
      a.put("outcome", outcome);
    }
    return a;
  }
}
