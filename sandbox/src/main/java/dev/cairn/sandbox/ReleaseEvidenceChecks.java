package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.evidence.EvidenceVerifier;
import dev.cairn.core.evidence.ReleaseEvidence;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * After a run: the release evidence records the deployer wrote for each published artifact, read
 * back from the release bucket and checked as {@code cairn evidence verify} checks them, against
 * the chain as stored and every anchor (the anchorer runs once first, as its schedule would, so the
 * last record is covered).
 */
final class ReleaseEvidenceChecks {

  /** One stored record, its bytes and {@code cairn evidence verify}'s verdict. */
  record Checked(String key, byte[] bytes, JsonNode record, EvidenceVerifier.Result verdict) {}

  /**
   * One artifact: its records, and the environments the ledger says the pipeline deployed it to
   * (null when its record is not authenticated; empty when the finalizer corrected it).
   */
  record Artifact(ArtifactKey key, List<String> deployedEnvironments, List<Checked> records) {}

  private ReleaseEvidenceChecks() {}

  static List<Artifact> check(SandboxWorld w) {
    try {
      w.functions.get("audit-anchorer").invoke(Json.object());
    } catch (IOException | RuntimeException e) {
      // A tampered chain is refused by the anchorer: the verdicts below say so.
    }
    List<Artifact> out = new ArrayList<>();
    for (ArtifactKey key : w.published) {
      List<String> deployed = new ArrayList<>();
      try {
        ArtifactRecord r = w.ledger.find(key).orElse(null);
        // An execution that died before its recording step (the finalizer concluded its
        // environment from the stacks) wrote no record: a known gap, not required here.
        if (r != null && !Boolean.TRUE.equals(r.finalizerCorrected())) {
          for (Map.Entry<String, EnvironmentState> e : environments(r).entrySet()) {
            if (e.getValue().status() == EnvironmentStatus.DEPLOYED) {
              deployed.add(e.getKey());
            }
          }
        }
      } catch (RecordUnauthenticatedException e) {
        // A record the control plane did not write (an attack forged it): nothing to require.
        deployed = null;
      }
      List<Checked> records = new ArrayList<>();
      String prefix =
          ArtifactLayout.prefix(key.service(), key.commitSha())
              + ArtifactLayout.EVIDENCE_DIR
              + "/"
              + ReleaseEvidence.FILE_PREFIX;
      for (S3Object o :
          w.s3
              .listObjectsV2Paginator(r -> r.bucket(SandboxWorld.RELEASE).prefix(prefix))
              .contents()) {
        byte[] bytes =
            w.s3.getObjectAsBytes(r -> r.bucket(SandboxWorld.RELEASE).key(o.key())).asByteArray();
        JsonNode json;
        try {
          json = Json.parse(bytes);
        } catch (IOException e) {
          json = null;
        }
        records.add(new Checked(o.key(), bytes, json, verify(w, o.key(), bytes)));
      }
      out.add(new Artifact(key, deployed, records));
    }
    return out;
  }

  /**
   * {@code cairn evidence verify}'s check of {@code bytes} as the record at {@code key}: against
   * the chain as stored (links only, as the CLI reads it) and every anchor in the bucket.
   */
  static EvidenceVerifier.Result verify(SandboxWorld w, String key, byte[] bytes) {
    DynamoDbAuditLog links =
        DynamoDbAuditLog.withoutMacCheck(
            w.dynamoDb, SandboxWorld.AUDIT_TABLE, w.auditLog.chainId());
    List<ObjectNode> entries = new ArrayList<>();
    links.entries().forEachRemaining(entries::add);
    AuditHead head = links.head();
    List<ObjectNode> anchors =
        new S3AnchorStore(w.s3, SandboxWorld.ANCHORS, null).all(head.chainId());
    return EvidenceVerifier.verify(key, bytes, entries, head, anchors);
  }

  private static Map<String, EnvironmentState> environments(ArtifactRecord r) {
    return r.environmentStates() == null ? Map.of() : r.environmentStates();
  }

  /** The summary form: each record's key, environment, outcome, failure and verdict. */
  static ArrayNode toJson(List<Artifact> artifacts) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (Artifact a : artifacts) {
      for (Checked c : a.records()) {
        ObjectNode o = out.addObject();
        o.put("key", c.key());
        o.put("environment", c.record() == null ? null : c.record().path("environment").asText());
        o.put("outcome", c.record() == null ? null : c.record().path("outcome").asText());
        o.set("failure", c.record() == null ? null : c.record().path("failure"));
        o.set("verify", c.verdict().toJson());
      }
    }
    return out;
  }
}
