package dev.cairn.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.testing.DynamoDbLocalExtension;
import dev.cairn.testing.LocalBuckets;
import dev.cairn.testing.LocalDynamoDb;
import dev.cairn.testing.LocalS3;
import dev.cairn.testing.LocalTables;
import dev.cairn.testing.S3LocalExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cairn publish}, {@code status} and {@code audit} end to end against DynamoDB Local and
 * S3Proxy, with the endpoints given the way a user gives them: the SDK's standard service-specific
 * settings (here the system-property twins of {@code AWS_ENDPOINT_URL_DYNAMODB}/{@code _S3}).
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishStatusAuditCommandTest {

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String[] PROPS = {
    "aws.endpointUrlDynamoDb",
    "aws.endpointUrlS3",
    "aws.endpointUrlKms",
    "aws.accessKeyId",
    "aws.secretAccessKey",
    "aws.region"
  };

  @TempDir static Path dir;
  static LocalTables tables;
  static LocalBuckets buckets;
  static Path cdkOut;
  static Path manifest;
  static Path trustPolicy;
  static KeyPair keys;
  static dev.cairn.testing.KmsMacWireServer kmsServer;

  @BeforeAll
  static void setUp(LocalTables t, LocalBuckets b, LocalDynamoDb dynamo, LocalS3 s3)
      throws Exception {
    tables = t;
    buckets = b;
    System.setProperty("aws.endpointUrlDynamoDb", dynamo.endpoint().toString());
    System.setProperty("aws.endpointUrlS3", s3.endpoint().toString());
    System.setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");
    // The record MAC key, served over KMS's wire protocol (the CLI builds its own client).
    dev.cairn.testing.FakeKmsClient kms = new dev.cairn.testing.FakeKmsClient();
    kms.createAlias(
        "alias/cairn-record-mac",
        kms.createKey(
            software.amazon.awssdk.services.kms.model.KeySpec.HMAC_256,
            software.amazon.awssdk.services.kms.model.KeyUsageType.GENERATE_VERIFY_MAC));
    kmsServer = dev.cairn.testing.KmsMacWireServer.start(kms);
    System.setProperty("aws.endpointUrlKms", kmsServer.endpoint().toString());

    cdkOut = Files.createDirectories(dir.resolve("cdk.out"));
    Files.writeString(cdkOut.resolve("manifest.json"), "{\"version\":\"41.0.0\",\"artifacts\":{}}");
    Files.writeString(cdkOut.resolve("OrdersStack.template.json"), "{\"Resources\":{}}");
    keys = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    String identity = "kms:alias/cdk-ci-artifact-signer";
    trustPolicy = dir.resolve("trust-policy.json");
    Files.writeString(
        trustPolicy,
        Json.pretty(
            TrustPolicy.toJson(
                List.of(
                    new TrustPolicy.SignerSpec(
                        identity,
                        SignatureAlgorithm.ECDSA_SHA_256,
                        PemKeys.toPem(keys.getPublic()))),
                List.of("2.1148.1"),
                List.of("refs/heads/main"))));
    ObjectNode unsigned =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(cdkOut),
            new ManifestFactory.BuildFacts(
                "orders",
                COMMIT,
                "refs/heads/main",
                true,
                "2.1148.1",
                "c".repeat(64),
                Map.of("aws-cdk-lib", "2.263.0"),
                "2026-11-22T09:00:00Z",
                42));
    manifest = dir.resolve("artifact-manifest.json");
    Files.writeString(
        manifest,
        Json.pretty(ManifestFactory.sign(unsigned, new PemKeySigner(identity, keys.getPrivate()))));
  }

  @AfterAll
  static void tearDown() {
    kmsServer.close();
    for (String p : PROPS) {
      System.clearProperty(p);
    }
  }

  record Run(int exit, String out, String err) {}

  static Run cairn(String... args) {
    CommandLine cl = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static List<String> publishArgs(String commit, Path out, Path manifestFile, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "publish",
                "--service",
                "orders",
                "--commit",
                commit,
                "--cdk-out",
                out.toString(),
                "--manifest",
                manifestFile.toString(),
                "--candidate-bucket",
                buckets.candidate(),
                "--table",
                tables.artifactMetadata(),
                "--audit-table",
                tables.auditLog(),
                "--trust-policy",
                trustPolicy.toString()));
    Collections.addAll(a, extra);
    return a;
  }

  @Test
  @Order(1)
  void publish_verifiesUploadsAndRecordsTheCandidate() {
    Run r =
        cairn(
            publishArgs(COMMIT, cdkOut, manifest, "--previous-commit", "f".repeat(40))
                .toArray(String[]::new));
    assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(r.out()).contains("PUBLISHED orders @ " + COMMIT).contains("status=candidate");
  }

  @Test
  @Order(2)
  void publish_sameCommitTwice_isRefusedCleanly() {
    Run r = cairn(publishArgs(COMMIT, cdkOut, manifest, "--format", "json").toArray(String[]::new));
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.out()).contains("\"published\" : false").contains("already published");
  }

  @Test
  @Order(3)
  void publish_whenManifestDoesNotMatchCdkOut_isRefusedBeforeAnyUpload() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other.out"));
    Files.writeString(other.resolve("manifest.json"), "{\"version\":\"41.0.0\",\"artifacts\":{}}");
    Files.writeString(other.resolve("OrdersStack.template.json"), "{\"Resources\":{\"Evil\":{}}}");
    String commit = "1".repeat(40);
    Run r = cairn(publishArgs(commit, other, manifest).toArray(String[]::new));
    assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.err()).contains("REFUSED: manifest rejected");
    assertThat(
            cairn(
                    "status",
                    "--service",
                    "orders",
                    "--commit",
                    commit,
                    "--table",
                    tables.artifactMetadata())
                .exit())
        .isEqualTo(CairnCli.EXIT_FAILED);
  }

  @Test
  @Order(4)
  void status_showsRecordAndEnvironments() throws Exception {
    Run text = cairn("status", "--service", "orders", "--table", tables.artifactMetadata());
    assertThat(text.exit()).as(text.err()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(text.out())
        .contains("orders @ " + COMMIT)
        .contains("candidate")
        .contains("stage")
        .contains("pending")
        .contains("not_deployed");
    Run json =
        cairn(
            "status",
            "--service",
            "orders",
            "--commit",
            COMMIT,
            "--table",
            tables.artifactMetadata(),
            "--format",
            "json");
    JsonNode record = Json.parse(json.out());
    assertThat(record.has("previous_commit_sha")).as(json.out()).isTrue();
    assertThat(record.get("status").asText()).isEqualTo("candidate");
    assertThat(record.get("environment_states").get("stage").get("test_status").asText())
        .isEqualTo("not_tested");
    assertThat(record.get("previous_commit_sha").asText()).isEqualTo("f".repeat(40));
    assertThat(record.get("expire_at").asLong()).isPositive();
    assertThat(record.get("artifact_url").asText())
        .isEqualTo("s3://" + buckets.candidate() + "/orders/" + COMMIT + "/");
  }

  @Test
  @Order(4)
  void status_withMacKey_checksTheRecord_andRefusesOneAlteredInTheTable() throws Exception {
    Run ok =
        cairn(
            "status",
            "--service",
            "orders",
            "--table",
            tables.artifactMetadata(),
            "--mac-key",
            "alias/cairn-record-mac");
    assertThat(ok.exit()).as(ok.err()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(ok.err()).doesNotContain("not checked");
    Run unchecked = cairn("status", "--service", "orders", "--table", tables.artifactMetadata());
    assertThat(unchecked.err()).contains("record MACs not checked");

    Run verified =
        cairn(
            "audit",
            "verify",
            "--table",
            tables.auditLog(),
            "--mac-key",
            "alias/cairn-record-mac",
            "--format",
            "json");
    assertThat(verified.exit()).as(verified.out()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(Json.parse(verified.out()).at("/macs/checked").asBoolean()).isTrue();
    Run links = cairn("audit", "verify", "--table", tables.auditLog());
    assertThat(links.out()).contains("MACs: not checked (no --mac-key); chain links only");

    // A principal with table write (not the control plane) edits a record of another commit.
    String commit = "3".repeat(40);
    try (var dynamoDb = dev.cairn.aws.client.AwsClients.defaults().dynamoDb()) {
      ObjectNode forged =
          Json.mapper()
              .valueToTree(
                  dev.cairn.core.ledger.CandidateRecords.candidate(
                      new dev.cairn.core.ledger.ArtifactKey("forged", commit),
                      "d".repeat(64),
                      "s3://" + buckets.candidate() + "/forged/" + commit + "/",
                      "2026-11-22T09:00:00Z",
                      "2.1148.1",
                      "c".repeat(64),
                      Map.of(),
                      true,
                      null,
                      "us-east-1",
                      List.of(
                          new dev.cairn.core.ledger.CandidateRecords.Environment(
                              "stage", "us-east-1"))));
      dynamoDb.putItem(
          r ->
              r.tableName(tables.artifactMetadata())
                  .item(dev.cairn.aws.dynamodb.AttributeValues.fromJson(forged)));
    }
    Run refused =
        cairn(
            "status",
            "--service",
            "forged",
            "--commit",
            commit,
            "--table",
            tables.artifactMetadata(),
            "--mac-key",
            "alias/cairn-record-mac");
    assertThat(refused.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(refused.err()).contains("RECORD_UNAUTHENTICATED").contains("MAC_MISSING");
  }

  @Test
  @Order(5)
  void audit_exportThenVerify_holds_andEveryTamperingExitsOne() throws Exception {
    Path export = dir.resolve("audit.jsonl");
    Run ex = cairn("audit", "export", "--table", tables.auditLog(), "--out", export.toString());
    assertThat(ex.exit()).as(ex.err()).isEqualTo(CairnCli.EXIT_OK);
    Run table = cairn("audit", "verify", "--table", tables.auditLog(), "--format", "json");
    assertThat(table.exit()).as(table.out()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(Json.parse(table.out()).get("entries").asLong()).isEqualTo(1);
    // Append more entries to the exported file (a longer chain for the tamper cases).
    List<String> lines = new ArrayList<>(Files.readAllLines(export));
    ObjectNode last = (ObjectNode) Json.parse(lines.get(0));
    for (int i = 0; i < 4; i++) {
      ObjectNode next = last.deepCopy();
      next.put("sequence", last.get("sequence").asLong() + 1);
      next.put("event_id", AuditChain.eventId("cairn", next.get("sequence").asLong()));
      next.put("previous_log_hash", last.get("log_hash").asText());
      next.put("log_hash", AuditChain.logHash(next));
      lines.add(Json.compact(next));
      last = next;
    }
    Files.write(export, lines);
    Run ok = cairn("audit", "verify", "--file", export.toString());
    assertThat(ok.exit()).as(ok.out()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(ok.out()).contains("VALID 5 entries");

    expectBroken(
        edit(lines, 2, l -> l.replace("ArtifactPublished", "ArtifactPromoted")),
        "HASH_MISMATCH",
        3);
    List<String> deleted = new ArrayList<>(lines);
    deleted.remove(1);
    expectBroken(deleted, "SEQUENCE_GAP", 2);
    List<String> reordered = new ArrayList<>(lines);
    Collections.swap(reordered, 2, 3);
    expectBroken(reordered, "SEQUENCE_GAP", 3);
    List<String> relinked = new ArrayList<>(lines);
    ObjectNode e = (ObjectNode) Json.parse(relinked.get(1));
    e.put("previous_log_hash", "0".repeat(64));
    e.put("log_hash", AuditChain.logHash(e));
    relinked.set(1, Json.compact(e));
    expectBroken(relinked, "BAD_LINK", 2);
    expectBroken(edit(lines, 0, l -> "{not json"), "MALFORMED_ENTRY", 1);
  }

  private static List<String> edit(
      List<String> lines, int index, java.util.function.UnaryOperator<String> f) {
    List<String> copy = new ArrayList<>(lines);
    copy.set(index, f.apply(copy.get(index)));
    return copy;
  }

  private static void expectBroken(List<String> lines, String reason, long sequence)
      throws Exception {
    Path f = Files.createTempFile(dir, "tampered", ".jsonl");
    Files.write(f, lines);
    Run r = cairn("audit", "verify", "--file", f.toString(), "--format", "json");
    assertThat(r.exit()).as(r.out()).isEqualTo(CairnCli.EXIT_FAILED);
    JsonNode v = Json.parse(r.out());
    assertThat(v.get("reason").asText()).isEqualTo(reason);
    assertThat(v.get("first_bad_sequence").asLong()).isEqualTo(sequence);
  }

  @Test
  @Order(6)
  void publish_withConfig_recordsConfiguredEnvironmentsInOrder() throws Exception {
    String commit = "2".repeat(40);
    ObjectNode unsigned =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(cdkOut),
            new ManifestFactory.BuildFacts(
                "orders",
                commit,
                "refs/heads/main",
                true,
                "2.1148.1",
                "c".repeat(64),
                Map.of(),
                "2026-11-22T11:00:00Z",
                1));
    Path m2 = dir.resolve("m2.json");
    Files.writeString(
        m2,
        Json.pretty(
            ManifestFactory.sign(
                unsigned,
                new PemKeySigner("kms:alias/cdk-ci-artifact-signer", keys.getPrivate()))));
    Path config = dir.resolve("cairn-config.json");
    Files.writeString(
        config,
        "{\"environments\":[{\"name\":\"dev\",\"region\":\"eu-west-1\"},{\"name\":\"stg\",\"region\":\"eu-west-1\"},{\"name\":\"prod\",\"region\":\"eu-west-1\"}]}");
    Run r =
        cairn(
            publishArgs(commit, cdkOut, m2, "--config", config.toString()).toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode record =
        Json.parse(
            cairn(
                    "status",
                    "--service",
                    "orders",
                    "--commit",
                    commit,
                    "--table",
                    tables.artifactMetadata(),
                    "--format",
                    "json")
                .out());
    JsonNode envs = record.get("environment_states");
    assertThat(envs.get("dev").get("status").asText()).isEqualTo("pending");
    assertThat(envs.get("stg").get("status").asText()).isEqualTo("not_deployed");
    assertThat(envs.get("prod").get("status").asText()).isEqualTo("not_deployed");
    assertThat(envs.get("prod").get("region").asText()).isEqualTo("eu-west-1");
  }

  @Test
  @Order(7)
  void status_unknownService_exitsOne_andHelpHasExamples() {
    assertThat(cairn("status", "--service", "nope", "--table", tables.artifactMetadata()).exit())
        .isEqualTo(CairnCli.EXIT_FAILED);
    for (String[] cmd :
        new String[][] {
          {"publish", "--help"},
          {"status", "--help"},
          {"audit", "verify", "--help"},
          {"audit", "export", "--help"},
          {"sandbox", "up", "--help"}
        }) {
      Run r = cairn(cmd);
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("Examples:");
    }
    assertThat(cairn("audit", "verify").exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }
}
