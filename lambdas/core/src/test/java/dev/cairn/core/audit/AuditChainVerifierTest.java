package dev.cairn.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainVerifierTest {

  static List<ObjectNode> chain(int n) {
    List<ObjectNode> entries = new ArrayList<>();
    AuditHead head = AuditHead.empty("test");
    for (int i = 0; i < n; i++) {
      AuditEvent event =
          new AuditEvent(
              Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i),
              new Actor(ActorRole.PIPELINE, "arn:aws:states:us-east-1:111122223333:execution:x"),
              "LeaseAcquired",
              new ArtifactKey("svc", "c" + i),
              Json.object().put("status", "candidate"),
              Json.object().put("status", "candidate"),
              List.of(
                  StateChange.environment(
                      "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
              null,
              null,
              Map.of("execution_id", "e" + i));
      ObjectNode entry = AuditChain.seal(event, head);
      entries.add(entry);
      head = AuditChain.headAfter(entry);
    }
    return entries;
  }

  @Test
  void verify_whenIntact_reportsCountAndHead() {
    List<ObjectNode> entries = chain(5);
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.valid()).isTrue();
    assertThat(v.entries()).isEqualTo(5);
    assertThat(v.headHash()).isEqualTo(entries.get(4).get("log_hash").asText());
    assertThat(entries.get(0).get("previous_log_hash").asText()).isEqualTo(AuditChain.GENESIS_HASH);
  }

  @Test
  void verify_whenEmpty_isValidWithGenesisHead() {
    AuditVerification v = AuditChainVerifier.verify(Collections.<JsonNode>emptyIterator());
    assertThat(v.valid()).isTrue();
    assertThat(v.entries()).isZero();
  }

  @Test
  void verify_whenEntryEdited_failsHashMismatchAtThatSequence() {
    List<ObjectNode> entries = chain(5);
    entries.get(2).put("action", "ArtifactPromoted");
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.valid()).isFalse();
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.HASH_MISMATCH);
    assertThat(v.firstBadSequence()).isEqualTo(3);
  }

  @Test
  void verify_whenNestedFieldEdited_failsHashMismatch() {
    List<ObjectNode> entries = chain(3);
    ((ObjectNode) entries.get(0).get("details")).put("execution_id", "forged");
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.HASH_MISMATCH);
    assertThat(v.firstBadSequence()).isEqualTo(1);
  }

  @Test
  void verify_whenEntryDeleted_failsSequenceGap() {
    List<ObjectNode> entries = chain(5);
    entries.remove(1);
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.SEQUENCE_GAP);
    assertThat(v.firstBadSequence()).isEqualTo(2);
  }

  @Test
  void verify_whenEntriesReordered_failsOutOfOrder() {
    List<ObjectNode> entries = chain(5);
    Collections.swap(entries, 1, 3);
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.valid()).isFalse();
    assertThat(v.reason())
        .isIn(
            AuditVerification.Reason.SEQUENCE_GAP, AuditVerification.Reason.SEQUENCE_OUT_OF_ORDER);
    assertThat(v.firstBadSequence()).isEqualTo(2);
  }

  @Test
  void verify_whenEntryDuplicated_failsOutOfOrder() {
    List<ObjectNode> entries = chain(4);
    entries.add(2, entries.get(1).deepCopy());
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.SEQUENCE_OUT_OF_ORDER);
    assertThat(v.firstBadSequence()).isEqualTo(2);
  }

  @Test
  void verify_whenEntryRewrittenAndRehashed_failsBadLinkOnTheNext() {
    List<ObjectNode> entries = chain(5);
    ObjectNode forged = entries.get(2);
    forged.put("action", "OverrideApplied");
    forged.put("log_hash", AuditChain.logHash(forged));
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.BAD_LINK);
    assertThat(v.firstBadSequence()).isEqualTo(4);
  }

  @Test
  void verify_whenLinkPointsElsewhere_failsHashMismatchOrBadLink() {
    List<ObjectNode> entries = chain(3);
    ObjectNode e = entries.get(1);
    e.put("previous_log_hash", "f".repeat(64));
    e.put("log_hash", AuditChain.logHash(e));
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.BAD_LINK);
    assertThat(v.firstBadSequence()).isEqualTo(2);
  }

  @Test
  void verify_whenLastEntriesDropped_failsHeadMismatchAgainstHead() {
    List<ObjectNode> entries = chain(5);
    AuditHead head = AuditChain.headAfter(entries.get(4));
    AuditVerification v = AuditChainVerifier.verify(entries.subList(0, 3).iterator(), head);
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.HEAD_MISMATCH);
    assertThat(AuditChainVerifier.verify(entries.iterator(), head).valid()).isTrue();
  }

  @Test
  void verify_whenMissingMembers_failsMalformed() {
    List<ObjectNode> entries = chain(2);
    entries.get(1).remove("log_hash");
    AuditVerification v = AuditChainVerifier.verify(entries.iterator());
    assertThat(v.reason()).isEqualTo(AuditVerification.Reason.MALFORMED_ENTRY);
  }

  /** Sequences that once passed as something else: 2^64 + 1 was read as 1 (modulo 2^64). */
  static List<JsonNode> badSequences() {
    var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    java.math.BigInteger twoTo64 = java.math.BigInteger.ONE.shiftLeft(64);
    return List.of(
        f.numberNode(twoTo64.add(java.math.BigInteger.ONE)),
        f.numberNode(java.math.BigInteger.ONE.shiftLeft(63)),
        f.numberNode(-1L),
        f.numberNode(new java.math.BigDecimal("1.0")),
        f.numberNode(1.5d),
        f.textNode("1"),
        f.nullNode());
  }

  @Test
  void verify_whenSequenceOverflowsNegativeFractionalOrText_failsMalformedNeverModulo() {
    for (JsonNode bad : badSequences()) {
      ObjectNode entry = chain(1).get(0);
      entry.set("sequence", bad);
      // Re-hashed, as a forger would: only the strict parse stands between 2^64 + 1 and 1.
      entry.put("log_hash", AuditChain.logHash(entry));
      AuditVerification v = AuditChainVerifier.verify(List.of(entry).iterator());
      assertThat(v.valid()).as("sequence %s", bad).isFalse();
      assertThat(v.reason())
          .as("sequence %s", bad)
          .isEqualTo(AuditVerification.Reason.MALFORMED_ENTRY);
      assertThat(v.detail())
          .as("sequence %s", bad)
          .contains("has sequence " + bad + ", not " + AuditSequence.EXPECTED);
    }
  }

  @Test
  void auditSequence_acceptsZeroToLongMax() {
    var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    assertThat(AuditSequence.parse(f.numberNode(0)).getAsLong()).isZero();
    assertThat(AuditSequence.parse(f.numberNode(Long.MAX_VALUE)).getAsLong())
        .isEqualTo(Long.MAX_VALUE);
    assertThat(AuditSequence.parse(f.numberNode(java.math.BigInteger.valueOf(7))).getAsLong())
        .isEqualTo(7);
    for (JsonNode bad : badSequences()) {
      assertThat(AuditSequence.parse(bad)).as("sequence %s", bad).isEmpty();
    }
    assertThat(AuditSequence.parse(null)).isEmpty();
  }

  @Test
  void logHash_isJcsCanonical_soKeyOrderAndWhitespaceDoNotMatter() throws Exception {
    ObjectNode e = chain(1).get(0);
    ObjectNode rest = e.deepCopy();
    rest.remove("log_hash");
    String reordered =
        "{ \"log_hash\": "
            + Json.compact(e.get("log_hash"))
            + ",\n  "
            + Json.compact(rest).substring(1);
    ObjectNode parsed = (ObjectNode) Json.parse(reordered);
    assertThat(AuditChain.logHash(parsed)).isEqualTo(e.get("log_hash").asText());
  }
}
