package dev.cairn.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.anchor.Anchors;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.failure.EvidenceCheckFailure;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceVerifierTest {

  private static final String KEY = "svc/" + "a".repeat(40) + "/cairn-evidence/r.json";
  private static final ArtifactKey ARTIFACT = new ArtifactKey("svc", "a".repeat(40));
  private static final Actor PIPELINE = new Actor(ActorRole.PIPELINE, "arn:execution:1");

  private final List<ObjectNode> entries = new ArrayList<>();
  private AuditHead head = AuditHead.empty(AuditChain.DEFAULT_CHAIN_ID);

  private ObjectNode append(String action, Map<String, String> details) {
    ObjectNode e =
        AuditChain.seal(
            new AuditEvent(
                Instant.parse("2026-12-06T10:00:00Z"),
                PIPELINE,
                action,
                ARTIFACT,
                null,
                null,
                List.of(),
                null,
                null,
                details),
            head);
    entries.add(e);
    head = AuditChain.headAfter(e);
    return e;
  }

  private byte[] recordCiting(ObjectNode cited, String logHash) {
    ObjectNode r = Json.object();
    r.put("evidence_version", 1);
    r.putArray("audit_entries")
        .addObject()
        .put("sequence", cited.path("sequence").asLong())
        .put("log_hash", logHash)
        .put("action", cited.path("action").asText());
    return ReleaseEvidence.bytes(r);
  }

  private ObjectNode anchorAtHead() {
    ObjectNode a = Json.object();
    a.put("schema_version", "1");
    a.put("kind", "anchor");
    a.put("chain_id", head.chainId());
    a.put("sequence", head.sequence());
    a.put("chain_depth", head.sequence());
    a.put("log_hash", head.logHash());
    a.put("anchored_at", "2026-12-06T10:10:00Z");
    a.put("object_key", Anchors.key(head.chainId(), head.sequence()));
    return Anchors.seal(a);
  }

  private EvidenceVerifier.Result verify(byte[] bytes, List<ObjectNode> anchors) {
    return EvidenceVerifier.verify(KEY, bytes, entries, head, anchors);
  }

  private static List<EvidenceCheckFailure> codes(EvidenceVerifier.Result r) {
    return r.problems().stream().map(EvidenceVerifier.Problem::code).toList();
  }

  @Test
  void verify_whenRecordedAndAnchored_passes() {
    ObjectNode lease = append("LeaseAcquired", Map.of());
    byte[] record = recordCiting(lease, lease.path("log_hash").asText());
    append(
        ReleaseEvidence.RECORDED_ACTION,
        Map.of("evidence_key", KEY, "evidence_sha256", Sha256.hex(record)));

    EvidenceVerifier.Result r = verify(record, List.of(anchorAtHead()));

    assertThat(r.problems()).isEmpty();
    assertThat(r.recordedSequence()).isEqualTo(2L);
  }

  @Test
  void verify_whenOneByteChanged_failsEvidenceDigestMismatch() {
    ObjectNode lease = append("LeaseAcquired", Map.of());
    byte[] record = recordCiting(lease, lease.path("log_hash").asText());
    append(
        ReleaseEvidence.RECORDED_ACTION,
        Map.of("evidence_key", KEY, "evidence_sha256", Sha256.hex(record)));
    byte[] changed = record.clone();
    changed[changed.length - 3] ^= 1;

    assertThat(codes(verify(changed, List.of(anchorAtHead()))))
        .containsExactly(EvidenceCheckFailure.EVIDENCE_DIGEST_MISMATCH);
  }

  @Test
  void verify_whenNoEntryRecordsTheKey_failsEvidenceNotRecorded() {
    ObjectNode lease = append("LeaseAcquired", Map.of());
    byte[] record = recordCiting(lease, lease.path("log_hash").asText());

    assertThat(codes(verify(record, List.of(anchorAtHead()))))
        .containsExactly(EvidenceCheckFailure.EVIDENCE_NOT_RECORDED);
  }

  @Test
  void verify_whenACitedHashDiffers_failsEvidenceAuditHashMismatch() {
    ObjectNode lease = append("LeaseAcquired", Map.of());
    byte[] record = recordCiting(lease, "0".repeat(64));
    append(
        ReleaseEvidence.RECORDED_ACTION,
        Map.of("evidence_key", KEY, "evidence_sha256", Sha256.hex(record)));

    assertThat(codes(verify(record, List.of(anchorAtHead()))))
        .containsExactly(EvidenceCheckFailure.EVIDENCE_AUDIT_HASH_MISMATCH);
  }

  @Test
  void verify_whenTheRecordingEntryIsNotAnchoredYet_failsEvidenceNotAnchored() {
    ObjectNode lease = append("LeaseAcquired", Map.of());
    ObjectNode early = anchorAtHead();
    byte[] record = recordCiting(lease, lease.path("log_hash").asText());
    append(
        ReleaseEvidence.RECORDED_ACTION,
        Map.of("evidence_key", KEY, "evidence_sha256", Sha256.hex(record)));

    assertThat(codes(verify(record, List.of(early))))
        .containsExactly(EvidenceCheckFailure.EVIDENCE_NOT_ANCHORED);
    assertThat(codes(verify(record, List.of())))
        .containsExactly(EvidenceCheckFailure.EVIDENCE_NOT_ANCHORED);
  }

  @Test
  void verify_whenACitedEntryWasEdited_failsEvidenceChainBroken() {
    ObjectNode lease = append("LeaseAcquired", Map.of("trigger", "s3"));
    byte[] record = recordCiting(lease, lease.path("log_hash").asText());
    append(
        ReleaseEvidence.RECORDED_ACTION,
        Map.of("evidence_key", KEY, "evidence_sha256", Sha256.hex(record)));
    ObjectNode anchor = anchorAtHead();
    ((ObjectNode) entries.get(0).path("details")).put("trigger", "sweeper");

    assertThat(codes(verify(record, List.of(anchor))))
        .contains(EvidenceCheckFailure.EVIDENCE_CHAIN_BROKEN);
  }
}
