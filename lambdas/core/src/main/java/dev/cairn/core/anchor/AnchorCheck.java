package dev.cairn.core.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.AuditSequence;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Checks an audit chain against its anchors ({@code cairn audit verify --anchors-bucket|file}).
 * Every anchor must hold: it is sealed (its {@code anchor_hash} matches), the chain reaches its
 * sequence, the entry at that sequence carries its {@code log_hash}, and the chain verifies at
 * least up to that sequence. The first anchor that disagrees is named.
 */
public final class AnchorCheck {

  /** Why an anchor disagrees with the chain. */
  public enum Reason {
    /** The anchor's own {@code anchor_hash} does not match its content. */
    ANCHOR_CORRUPT,
    /**
     * The anchor's {@code sequence} is not a non-negative 64-bit integer (past 2^63 - 1, negative,
     * fractional, text): it names no entry, and is never read modulo 2^64.
     */
    ANCHOR_MALFORMED,
    /** The chain is shorter than the anchored depth: entries were removed. */
    ANCHOR_BEYOND_CHAIN,
    /** The entry at the anchored sequence has another {@code log_hash}: the chain was rewritten. */
    LOG_HASH_MISMATCH,
    /** An entry at or before the anchored sequence no longer verifies: it was edited. */
    ANCHORED_ENTRY_ALTERED,
    /** The anchor belongs to another chain. */
    WRONG_CHAIN
  }

  /** One disagreement. */
  public record Disagreement(
      String anchorKey, long anchorSequence, Long entrySequence, Reason reason, String detail) {}

  /** The verdict. */
  public record Result(int anchorsChecked, List<Disagreement> disagreements) {
    public boolean valid() {
      return disagreements.isEmpty();
    }

    public ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("valid", valid());
      o.put("anchors_checked", anchorsChecked);
      var arr = o.putArray("disagreements");
      for (Disagreement d : disagreements) {
        ObjectNode x = arr.addObject();
        x.put("anchor", d.anchorKey());
        x.put("anchor_sequence", d.anchorSequence());
        if (d.entrySequence() == null) {
          x.putNull("sequence");
        } else {
          x.put("sequence", d.entrySequence());
        }
        x.put("reason", d.reason().name());
        x.put("detail", d.detail());
      }
      return o;
    }
  }

  private AnchorCheck() {}

  /**
   * @param chainId the chain checked
   * @param logHashes {@code log_hash} by sequence, for the chain's entries as stored
   * @param chain the chain verifier's verdict on the same entries
   * @param anchors the anchors (objects from the bucket or messages from SNS), any order
   */
  public static Result check(
      String chainId,
      Map<Long, String> logHashes,
      AuditVerification chain,
      List<? extends JsonNode> anchors) {
    List<JsonNode> sorted = new ArrayList<>(anchors);
    sorted.sort(Comparator.comparingLong(a -> AuditSequence.parse(a.path("sequence")).orElse(-1)));
    long depth = logHashes.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    List<Disagreement> out = new ArrayList<>();
    for (JsonNode a : sorted) {
      OptionalLong parsed = AuditSequence.parse(a.path("sequence"));
      if (parsed.isEmpty()) {
        out.add(
            new Disagreement(
                a.path("object_key").asText("(no object_key)"),
                -1,
                null,
                Reason.ANCHOR_MALFORMED,
                "sequence "
                    + AuditSequence.describe(a.get("sequence"))
                    + " is not "
                    + AuditSequence.EXPECTED));
        continue;
      }
      long seq = parsed.getAsLong();
      String key =
          a.path("object_key").isTextual()
              ? a.path("object_key").asText()
              : Anchors.key(chainId, seq);
      if (!Anchors.sealed(a)) {
        out.add(
            new Disagreement(
                key, seq, null, Reason.ANCHOR_CORRUPT, "anchor_hash does not match the content"));
        continue;
      }
      if (!chainId.equals(a.path("chain_id").asText())) {
        out.add(
            new Disagreement(
                key,
                seq,
                null,
                Reason.WRONG_CHAIN,
                "anchor of chain " + a.path("chain_id").asText() + ", checking " + chainId));
        continue;
      }
      if (seq == 0) {
        continue; // an anchor (heartbeat) of the empty chain holds for any chain
      }
      if (!chain.valid() && chain.firstBadSequence() != null && chain.firstBadSequence() <= seq) {
        out.add(
            new Disagreement(
                key,
                seq,
                chain.firstBadSequence(),
                Reason.ANCHORED_ENTRY_ALTERED,
                "entry "
                    + chain.firstBadSequence()
                    + " was anchored by "
                    + key
                    + " (sequence "
                    + seq
                    + ") and no longer verifies: "
                    + chain.reason()
                    + " "
                    + chain.detail()));
        continue;
      }
      String stored = logHashes.get(seq);
      if (stored == null) {
        out.add(
            new Disagreement(
                key,
                seq,
                seq,
                Reason.ANCHOR_BEYOND_CHAIN,
                "the chain has " + depth + " entries; " + key + " anchored " + seq));
        continue;
      }
      if (!stored.equals(a.path("log_hash").asText())) {
        out.add(
            new Disagreement(
                key,
                seq,
                seq,
                Reason.LOG_HASH_MISMATCH,
                "entry "
                    + seq
                    + " has log_hash "
                    + stored
                    + "; "
                    + key
                    + " anchored "
                    + a.path("log_hash").asText()));
      }
    }
    return new Result(sorted.size(), List.copyOf(out));
  }
}
