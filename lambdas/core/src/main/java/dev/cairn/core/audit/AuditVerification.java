package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;

/**
 * The verdict of {@link AuditChainVerifier}: the number of entries and the head hash when the chain
 * holds, or the first bad sequence number and why.
 */
public record AuditVerification(
    boolean valid,
    long entries,
    String headHash,
    Long firstBadSequence,
    Reason reason,
    String detail) {

  /** Why a chain does not hold. */
  public enum Reason {
    /** An entry is not a JSON object with the required members. */
    MALFORMED_ENTRY,
    /** A sequence number is missing (an entry was deleted). */
    SEQUENCE_GAP,
    /** A sequence number repeats or goes backwards (entries reordered or duplicated). */
    SEQUENCE_OUT_OF_ORDER,
    /** An entry's content does not match its {@code log_hash} (the entry was edited). */
    HASH_MISMATCH,
    /** {@code previous_log_hash} is not the previous entry's {@code log_hash}. */
    BAD_LINK,
    /** An entry belongs to another chain. */
    WRONG_CHAIN,
    /**
     * The chain head disagrees with the last entry (entries removed from the end, or head moved).
     */
    HEAD_MISMATCH
  }

  public static AuditVerification ok(long entries, String headHash) {
    return new AuditVerification(true, entries, headHash, null, null, null);
  }

  public static AuditVerification broken(
      long entriesChecked, long sequence, Reason reason, String detail) {
    return new AuditVerification(false, entriesChecked, null, sequence, reason, detail);
  }

  /** The report as JSON ({@code cairn audit verify --format json}). */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("valid", valid);
    o.put("entries", entries);
    if (valid) {
      o.put("head_hash", headHash);
    } else {
      o.put("first_bad_sequence", firstBadSequence);
      o.put("reason", reason.name());
      o.put("detail", detail);
    }
    return o;
  }
}
