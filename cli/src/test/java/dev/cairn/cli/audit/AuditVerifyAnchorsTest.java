package dev.cairn.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.anchor.Anchors;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.testsupport.S3LocalExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code cairn audit verify --anchors-file|--anchors-bucket}: the chain must match every anchor.
 */
@ExtendWith(S3LocalExtension.class)
class AuditVerifyAnchorsTest {

  static final String[] PROPS = {
    "aws.endpointUrlS3", "aws.accessKeyId", "aws.secretAccessKey", "aws.region"
  };
  static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  @TempDir Path dir;

  @BeforeAll
  static void endpoints(LocalS3 s3) {
    System.setProperty("aws.endpointUrlS3", s3.endpoint().toString());
    System.setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");
  }

  @AfterAll
  static void clear() {
    for (String p : PROPS) {
      System.clearProperty(p);
    }
  }

  /** A chain of {@code n} entries; {@code sha} goes into every entry's details. */
  static List<ObjectNode> chain(int n, String sha) {
    List<ObjectNode> out = new ArrayList<>();
    AuditHead head = AuditHead.empty("cairn");
    for (int i = 0; i < n; i++) {
      ObjectNode e =
          AuditChain.seal(
              new AuditEvent(
                  T0.plusSeconds(i),
                  new Actor(ActorRole.CI, "ci"),
                  "ArtifactPublished",
                  new ArtifactKey("orders", "0123456789abcdef0123456789abcdef01234567"),
                  null,
                  null,
                  List.of(),
                  null,
                  null,
                  Map.of("artifact_sha256", sha)),
              head);
      out.add(e);
      head = AuditChain.headAfter(e);
    }
    return out;
  }

  static ObjectNode anchorOf(ObjectNode entry) {
    ObjectNode a = Json.object();
    a.put("schema_version", "1").put("kind", "anchor").put("chain_id", "cairn");
    long seq = entry.path("sequence").asLong();
    a.put("sequence", seq).put("chain_depth", seq);
    a.put("log_hash", entry.path("log_hash").asText());
    a.put("last_entry_timestamp", entry.path("timestamp").asText());
    a.put("anchored_at", "2026-11-22T09:10:00Z");
    a.putNull("previous_anchor");
    a.putObject("high_privilege_actions").put("count", 0).put("truncated", false);
    a.put("object_key", Anchors.key("cairn", seq));
    return Anchors.seal(a);
  }

  Path jsonl(String name, List<ObjectNode> lines) throws Exception {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(Json.compact(l)).append('\n'));
    return Files.writeString(dir.resolve(name), b.toString());
  }

  /** As an SNS notification exported from a mailbox or an SQS subscription. */
  static ObjectNode sns(ObjectNode anchor) {
    return Json.object().put("Type", "Notification").put("Message", Json.pretty(anchor));
  }

  @Test
  void file_whenChainMatchesEveryAnchor_exitsZero() throws Exception {
    List<ObjectNode> entries = chain(4, "1".repeat(64));
    Path audit = jsonl("audit.jsonl", entries);
    Path anchors =
        jsonl("anchors.jsonl", List.of(sns(anchorOf(entries.get(1))), anchorOf(entries.get(3))));

    CliRunner.Result r =
        CliRunner.run(
            "audit", "verify", "--file", audit.toString(), "--anchors-file", anchors.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("VALID 4 entries").contains("ANCHORS 2 checked");
  }

  @Test
  void file_whenEntryEditedAfterAnchoring_namesSequenceAndAnchor() throws Exception {
    List<ObjectNode> entries = chain(4, "1".repeat(64));
    Path anchors = jsonl("anchors.jsonl", List.of(anchorOf(entries.get(3))));
    entries.get(1).with("details").put("artifact_sha256", "0".repeat(64));
    Path audit = jsonl("audit.jsonl", entries);

    CliRunner.Result r =
        CliRunner.run(
            "audit",
            "verify",
            "--file",
            audit.toString(),
            "--anchors-file",
            anchors.toString(),
            "--format",
            "json");

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.json().path("first_bad_sequence").asLong()).isEqualTo(2);
    assertThat(r.json().at("/anchors/disagreements/0/anchor").asText())
        .isEqualTo("audit-log-anchors/cairn/00000000000000000004.json");
    assertThat(r.json().at("/anchors/disagreements/0/sequence").asLong()).isEqualTo(2);
    assertThat(r.json().at("/anchors/disagreements/0/reason").asText())
        .isEqualTo("ANCHORED_ENTRY_ALTERED");
  }

  @Test
  void bucket_whenChainRecomputedAfterAnchoring_reportsLogHashMismatch(
      S3Client s3, LocalBuckets buckets) throws Exception {
    List<ObjectNode> original = chain(3, "1".repeat(64));
    S3AnchorStore store = new S3AnchorStore(s3, buckets.auditAnchors(), null);
    store.putIfAbsent(Anchors.key("cairn", 3), anchorOf(original.get(2)));
    // A consistent rewrite: every hash recomputed, so the chain alone verifies.
    Path audit = jsonl("rewritten.jsonl", chain(3, "2".repeat(64)));

    CliRunner.Result r =
        CliRunner.run(
            "audit",
            "verify",
            "--file",
            audit.toString(),
            "--anchors-bucket",
            buckets.auditAnchors());

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains("VALID 3 entries")
        .contains(
            "anchor audit-log-anchors/cairn/00000000000000000003.json (sequence 3): LOG_HASH_MISMATCH");
  }

  @Test
  void file_whenAnchorLineIsNotJson_isUsageError() throws Exception {
    Path audit = jsonl("audit.jsonl", chain(1, "1".repeat(64)));
    Path anchors = Files.writeString(dir.resolve("bad.jsonl"), "not json\n");
    CliRunner.Result r =
        CliRunner.run(
            "audit", "verify", "--file", audit.toString(), "--anchors-file", anchors.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("line 1");
  }
}
