package dev.cairn.cli.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.kms.ItemMacKeys;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.anchor.Anchors;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.evidence.Dsse;
import dev.cairn.core.evidence.GateFailure;
import dev.cairn.core.evidence.ReleaseEvidence;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code cairn evidence show|verify|attest} against local DynamoDB and S3 endpoints (as against
 * {@code cairn sandbox up}): a record written and chained as the deployer does it.
 */
@ExtendWith({S3LocalExtension.class, DynamoDbLocalExtension.class})
class EvidenceCommandsTest {

  static final String[] PROPS = {
    "aws.endpointUrlS3",
    "aws.endpointUrlDynamoDb",
    "aws.accessKeyId",
    "aws.secretAccessKey",
    "aws.region"
  };
  static final String SERVICE = "orders";
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  /** One MAC key for the class's chain: every append re-reads (and checks) the head. */
  static final ItemMacKeys KEYS = new ItemMacKeys();

  static final String SIGNER = "key:ci-signer";

  @TempDir Path dir;

  @BeforeAll
  static void endpoints(LocalS3 s3) {
    System.setProperty("aws.endpointUrlS3", s3.endpoint().toString());
    System.setProperty("aws.endpointUrlDynamoDb", LocalDynamoDb.shared().endpoint().toString());
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

  /** Writes the record, its recording entry and an anchor covering it; returns the key. */
  private String recorded(
      S3Client s3,
      LocalBuckets buckets,
      DynamoDbClient dynamoDb,
      LocalTables tables,
      String commit,
      String env) {
    DynamoDbAuditLog log =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), "cairn", KEYS.macs(), KEYS.alerts());
    ArtifactKey artifact = new ArtifactKey(SERVICE, commit);
    Actor pipeline = new Actor(ActorRole.PIPELINE, "arn:aws:states:execution:" + env);
    ObjectNode lease =
        log.append(
            new AuditEvent(
                Instant.parse("2026-12-06T10:00:00Z"),
                pipeline,
                "LeaseAcquired",
                artifact,
                null,
                null,
                List.of(),
                null,
                null,
                Map.of()));
    ObjectNode state = Json.object();
    ObjectNode verification = state.putObject("verification");
    verification.put("report_key", "r");
    verification
        .putObject("evidence")
        .put("bucket", buckets.release())
        .put("manifest_sha256", "1".repeat(64))
        .put("artifact_sha256", "2".repeat(64))
        .putNull("manifest_version_id")
        .putObject("object_versions");
    ObjectNode manifest = Json.object();
    manifest.put("signing_identity", SIGNER).put("source_ref", "refs/heads/main");
    ObjectNode record =
        ReleaseEvidence.build(
            new ReleaseEvidence.Inputs(
                artifact,
                env,
                pipeline.id(),
                "test_failed",
                Instant.parse("2026-12-06T10:00:00Z"),
                state,
                manifest,
                List.of(lease),
                GateFailure.classify("tests", "States.TaskFailed", "build FAILED")));
    byte[] bytes = ReleaseEvidence.bytes(record);
    String key = SERVICE + "/" + commit + "/cairn-evidence/" + ReleaseEvidence.fileName(env, bytes);
    s3.putObject(r -> r.bucket(buckets.release()).key(key), RequestBody.fromBytes(bytes));
    log.append(
        new AuditEvent(
            Instant.parse("2026-12-06T10:00:01Z"),
            pipeline,
            ReleaseEvidence.RECORDED_ACTION,
            artifact,
            null,
            null,
            List.of(),
            null,
            null,
            Map.of("evidence_key", key, "evidence_sha256", Sha256.hex(bytes))));
    AuditHead head = log.head();
    ObjectNode a = Json.object();
    a.put("schema_version", "1").put("kind", "anchor").put("chain_id", "cairn");
    a.put("sequence", head.sequence()).put("chain_depth", head.sequence());
    a.put("log_hash", head.logHash());
    a.put("anchored_at", "2026-12-06T10:10:00Z");
    a.put("object_key", Anchors.key("cairn", head.sequence()));
    new S3AnchorStore(s3, buckets.auditAnchors(), null)
        .putIfAbsent(Anchors.key("cairn", head.sequence()), Anchors.seal(a));
    return key;
  }

  private String[] at(LocalBuckets b, LocalTables t, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--bucket",
            b.release(),
            "--table",
            t.auditLog(),
            "--anchors-bucket",
            b.auditAnchors()));
    return all.toArray(String[]::new);
  }

  @Test
  void showAndVerify_onARecordedRecord_printItAndPass(
      S3Client s3, LocalBuckets buckets, DynamoDbClient dynamoDb, LocalTables tables)
      throws Exception {
    String key = recorded(s3, buckets, dynamoDb, tables, COMMIT, "stage");

    CliRunner.Result show =
        CliRunner.run(
            "evidence", "show", SERVICE, COMMIT, "--bucket", buckets.release(), "--format", "json");
    CliRunner.Result text =
        CliRunner.run("evidence", "show", SERVICE, COMMIT, "--bucket", buckets.release());
    CliRunner.Result verify =
        CliRunner.run(at(buckets, tables, "evidence", "verify", SERVICE, COMMIT));

    assertThat(show.exit()).as(show.toString()).isZero();
    JsonNode record = show.json().at("/records/0/record");
    assertThat(CliRunner.violations("release-evidence.v1.json", record)).isEmpty();
    assertThat(record.at("/failure/blocker_class").asText()).isEqualTo("TEST");
    assertThat(text.out()).contains(key).contains("failure.blocker_class: TEST");
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("VERIFIED " + key);
  }

  @Test
  void verify_whenOneByteOfTheStoredRecordChanged_exitsOneWithEvidenceDigestMismatch(
      S3Client s3, LocalBuckets buckets, DynamoDbClient dynamoDb, LocalTables tables) {
    String commit = "1".repeat(40);
    String key = recorded(s3, buckets, dynamoDb, tables, commit, "prod");
    byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(buckets.release()).key(key)).asByteArray();
    bytes[bytes.length - 3] ^= 1;
    // Local S3 has no write-once bucket policy: here the tamper can happen.
    s3.putObject(r -> r.bucket(buckets.release()).key(key), RequestBody.fromBytes(bytes));

    CliRunner.Result r =
        CliRunner.run(
            at(buckets, tables, "evidence", "verify", SERVICE, commit, "--format", "json"));

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.json().at("/records").findValuesAsText("code"))
        .contains("EVIDENCE_DIGEST_MISMATCH");
  }

  @Test
  void verify_whenNoRecord_exitsOneWithEvidenceNotFound(
      S3Client s3, LocalBuckets buckets, DynamoDbClient dynamoDb, LocalTables tables) {
    recorded(s3, buckets, dynamoDb, tables, "2".repeat(40), "dev");

    CliRunner.Result r =
        CliRunner.run(at(buckets, tables, "evidence", "verify", SERVICE, "f".repeat(40)));

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("EVIDENCE_NOT_FOUND");
  }

  @Test
  void attest_signsTheStatementAsDsse_verifiableWithOpenssl_andOnlyAsTheManifestSigner(
      S3Client s3, LocalBuckets buckets, DynamoDbClient dynamoDb, LocalTables tables)
      throws Exception {
    String commit = "3".repeat(40);
    recorded(s3, buckets, dynamoDb, tables, commit, "qa");
    KeyPair keys = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    Path priv = Files.writeString(dir.resolve("k.pem"), PemKeys.toPem(keys.getPrivate()));
    Path pub = Files.writeString(dir.resolve("pub.pem"), PemKeys.toPem(keys.getPublic()));
    Path out = dir.resolve("evidence.intoto.json");

    CliRunner.Result r =
        CliRunner.run(
            "evidence",
            "attest",
            SERVICE,
            commit,
            "--environment",
            "qa",
            "--bucket",
            buckets.release(),
            "--signing-identity",
            SIGNER,
            "--private-key-pem",
            priv.toString(),
            "--out",
            out.toString());
    CliRunner.Result other =
        CliRunner.run(
            "evidence",
            "attest",
            SERVICE,
            commit,
            "--environment",
            "qa",
            "--bucket",
            buckets.release(),
            "--signing-identity",
            "key:someone-else",
            "--private-key-pem",
            priv.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode envelope = Json.parse(Files.readAllBytes(out));
    JsonNode statement = Json.parse(Dsse.payload(envelope));
    assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
    assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo("2".repeat(64));
    Path sig = Files.write(dir.resolve("sig.der"), Dsse.signature(envelope));
    Path pae =
        Files.write(
            dir.resolve("pae.bin"),
            Dsse.pae(envelope.path("payloadType").asText(), Dsse.payload(envelope)));
    Process p =
        new ProcessBuilder(
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                pub.toString(),
                "-signature",
                sig.toString(),
                pae.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(new String(p.getInputStream().readAllBytes())).contains("Verified OK");
    assertThat(p.waitFor()).isZero();
    assertThat(other.exit()).isEqualTo(2);
    assertThat(other.err()).contains("same signer");
  }
}
