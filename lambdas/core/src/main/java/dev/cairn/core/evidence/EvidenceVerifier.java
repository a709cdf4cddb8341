package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.failure.BlockerClasses;
import dev.cairn.core.failure.EvidenceCheckFailure;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks one stored release evidence record against the audit chain and its anchors ({@code cairn
 * evidence verify}). The record vouches for nothing by itself: the chain does, through the {@code
 * ReleaseEvidenceRecorded} entry that the writer appended with the record's key and SHA-256, and
 * the anchors published outside the account vouch for the chain.
 */
public final class EvidenceVerifier {

  /** One mismatch. */
  public record Problem(EvidenceCheckFailure code, String detail) {
    public ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("code", code.name());
      o.put("blocker_class", BlockerClasses.of(code).name());
      o.put("detail", detail);
      return o;
    }
  }

  /**
   * The verdict.
   *
   * @param recordedSequence the sequence of the entry that recorded the record, or null
   * @param anchoredThrough the highest anchored sequence, or null when there is no anchor
   */
  public record Result(
      String key, List<Problem> problems, Long recordedSequence, Long anchoredThrough) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean valid() {
      return problems.isEmpty();
    }

    public ObjectNode toJson() {
      ObjectNode o = Json.object();
      o.put("key", key);
      o.put("valid", valid());
      if (recordedSequence == null) {
        o.putNull("recorded_sequence");
      } else {
        o.put("recorded_sequence", recordedSequence);
      }
      if (anchoredThrough == null) {
        o.putNull("anchored_through");
      } else {
        o.put("anchored_through", anchoredThrough);
      }
      problems.forEach(p -> o.withArray("problems").add(p.toJson()));
      if (problems.isEmpty()) {
        o.putArray("problems");
      }
      return o;
    }
  }

  private EvidenceVerifier() {}

  /**
   * @param key the record's object key
   * @param bytes the record's stored bytes
   * @param entries every entry of the chain as stored, ascending
   * @param head the chain head as stored
   * @param anchors every published anchor of the chain
   */
  public static Result verify(
      String key,
      byte[] bytes,
      List<ObjectNode> entries,
      AuditHead head,
      List<ObjectNode> anchors) {
    List<Problem> problems = new ArrayList<>();
    Map<Long, ObjectNode> bySequence = new TreeMap<>();
    entries.forEach(e -> bySequence.put(e.path("sequence").asLong(), e));
    // 1. The chain records the record: its key, with the SHA-256 of exactly these bytes.
    ObjectNode recorded = null;
    for (ObjectNode e : entries) {
      if (ReleaseEvidence.RECORDED_ACTION.equals(e.path("action").asText())
          && key.equals(e.path("details").path("evidence_key").asText())) {
        recorded = e;
        break;
      }
    }
    if (recorded == null) {
      problems.add(
          new Problem(
              EvidenceCheckFailure.EVIDENCE_NOT_RECORDED,
              "no " + ReleaseEvidence.RECORDED_ACTION + " entry names " + key));
      return new Result(key, problems, null, null);
    }
    long recordedSequence = recorded.path("sequence").asLong();
    String expected = recorded.path("details").path("evidence_sha256").asText();
    String actual = Sha256.hex(bytes);
    if (!actual.equals(expected)) {
      problems.add(
          new Problem(
              EvidenceCheckFailure.EVIDENCE_DIGEST_MISMATCH,
              key
                  + " has sha256 "
                  + actual
                  + "; entry "
                  + recordedSequence
                  + " recorded "
                  + expected));
      return new Result(key, problems, recordedSequence, null);
    }
    // 2. The record is a release-evidence.v1 object.
    JsonNode record;
    try {
      record = Json.parse(bytes);
    } catch (IOException e) {
      record = null;
    }
    if (record == null
        || !record.isObject()
        || record.path("evidence_version").asInt() != 1
        || !record.path("audit_entries").isArray()) {
      problems.add(
          new Problem(
              EvidenceCheckFailure.EVIDENCE_MALFORMED,
              key + " is not a release-evidence.v1 object"));
      return new Result(key, problems, recordedSequence, null);
    }
    // 3. Every entry it references is in the chain with that hash.
    for (JsonNode ref : record.path("audit_entries")) {
      long seq = ref.path("sequence").asLong();
      ObjectNode entry = bySequence.get(seq);
      if (entry == null) {
        problems.add(
            new Problem(
                EvidenceCheckFailure.EVIDENCE_AUDIT_ENTRY_MISSING,
                "entry " + seq + " is not in the chain"));
      } else if (!entry.path("log_hash").asText().equals(ref.path("log_hash").asText())) {
        problems.add(
            new Problem(
                EvidenceCheckFailure.EVIDENCE_AUDIT_HASH_MISMATCH,
                "entry "
                    + seq
                    + " has log_hash "
                    + entry.path("log_hash").asText()
                    + "; the record says "
                    + ref.path("log_hash").asText()));
      }
    }
    // 4. The chain verifies.
    AuditVerification chain = AuditChainVerifier.verify(entries.iterator(), head);
    if (!chain.valid()) {
      problems.add(
          new Problem(
              EvidenceCheckFailure.EVIDENCE_CHAIN_BROKEN,
              "first bad sequence "
                  + chain.firstBadSequence()
                  + ": "
                  + chain.reason()
                  + " "
                  + chain.detail()));
    }
    // 5. Every anchor agrees with the chain, and one covers the recording entry.
    Map<Long, String> logHashes = new TreeMap<>();
    entries.forEach(e -> logHashes.put(e.path("sequence").asLong(), e.path("log_hash").asText()));
    AnchorCheck.Result anchored = AnchorCheck.check(head.chainId(), logHashes, chain, anchors);
    Long through = null;
    for (ObjectNode a : anchors) {
      JsonNode s = a.path("sequence");
      if (s.canConvertToLong() && (through == null || s.asLong() > through)) {
        through = s.asLong();
      }
    }
    if (!anchored.valid()) {
      AnchorCheck.Disagreement d = anchored.disagreements().get(0);
      problems.add(
          new Problem(
              EvidenceCheckFailure.EVIDENCE_NOT_ANCHORED,
              "anchor " + d.anchorKey() + " disagrees: " + d.reason() + " " + d.detail()));
    } else if (through == null || through < recordedSequence) {
      problems.add(
          new Problem(
              EvidenceCheckFailure.EVIDENCE_NOT_ANCHORED,
              "entry "
                  + recordedSequence
                  + " is not anchored yet (anchored through "
                  + (through == null ? "nothing" : through)
                  + "); the anchorer publishes every 10 minutes"));
    }
    return new Result(key, problems, recordedSequence, through);
  }
}
