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
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * After a run: the release evidence records the deployer (or, for an execution that ended before
 * its recording step, the finalizer) wrote for each published artifact, read back from the release
 * bucket and checked as {@code cairn evidence verify} checks them, against the chain as stored and
 * every anchor (the anchorer runs once first, as its schedule would, so the last record is
 * covered).
 */
final class ReleaseEvidenceChecks {

  /** One stored record, its bytes and {@code cairn evidence verify}'s verdict. */
  record Checked(String key, byte[] bytes, JsonNode record, EvidenceVerifier.Result verdict) {}

  /**
   * One artifact: its records, the environments the ledger says the pipeline deployed it to, and
   * the executions that took an environment's lease for it and have ended (each either recorded
   * itself or was recorded by the finalizer). Both null when the record or the chain is not
   * authenticated (an attack forged it): nothing to require then.
   */
  record Artifact(
      ArtifactKey key,
      List<String> deployedEnvironments,
      List<String> endedExecutions,
      List<Checked> records) {}

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
        // Whether its execution recorded or died before that (the finalizer records it then).
        if (r != null) {
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
      List<String> ended = deployed == null ? null : endedExecutions(w, key);
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
      out.add(new Artifact(key, deployed, ended, records));
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

  /**
   * The executions that acquired an environment's lease for {@code key} (its {@code LeaseAcquired}
   * entries, MACs checked) and are no longer running in Step Functions; null when the chain does
   * not authenticate (an attack tampered with it).
   */
  private static List<String> endedExecutions(SandboxWorld w, ArtifactKey key) {
    List<String> leased = new ArrayList<>();
    try {
      w.auditLog
          .entries()
          .forEachRemaining(
              e -> {
                if ("LeaseAcquired".equals(e.path("action").asText())
                    && key.service().equals(e.at("/artifact/service").asText())
                    && key.commitSha().equals(e.at("/artifact/commit_sha").asText())) {
                  leased.add(e.at("/actor/id").asText());
                }
              });
    } catch (RuntimeException e) {
      return null;
    }
    return leased.stream()
        .distinct()
        .filter(
            arn ->
                !"RUNNING"
                    .equals(w.sfn.describeExecution(r -> r.executionArn(arn)).statusAsString()))
        .toList();
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
