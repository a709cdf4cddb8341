package dev.cairn.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.cli.CairnCli;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.registrar.RegistrationUseCase;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.VerifierOptions;
import dev.cairn.lambda.registrar.RegistrarHandler;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
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
 * settings (here the system-property twins of {@code AWS_ENDPOINT_URL_DYNAMODB}/{@code _S3}/{@code
 * _LAMBDA}). The Lambda endpoint answers {@code Invoke} with the real registrar handler on the same
 * table and bucket, as the deployed function would.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishStatusAuditCommandTest {

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String[] PROPS = {
    "aws.endpointUrlDynamoDb",
    "aws.endpointUrlS3",
    "aws.endpointUrlLambda",
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
  static HttpServer lambda;
  static final List<String> invoked = Collections.synchronizedList(new ArrayList<>());
  static dev.cairn.local.emulators.KmsMacWireServer kmsServer;
  static dev.cairn.local.emulators.KmsEmulator kms;

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
    kms = new dev.cairn.local.emulators.KmsEmulator();
    kms.createAlias(
        "alias/cairn-record-mac",
        kms.createKey(
            software.amazon.awssdk.services.kms.model.KeySpec.HMAC_256,
            software.amazon.awssdk.services.kms.model.KeyUsageType.GENERATE_VERIFY_MAC));
    kmsServer = dev.cairn.local.emulators.KmsMacWireServer.start(kms);
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
                    42)
                .withGitSignature(
                    new ArtifactManifest.GitSignature(
                        "ssh", "SHA256:" + "A".repeat(43), "ci@example.test", "main")));
    manifest = dir.resolve("artifact-manifest.json");
    Files.writeString(
        manifest,
        Json.pretty(ManifestFactory.sign(unsigned, new PemKeySigner(identity, keys.getPrivate()))));
    lambda = registrarEndpoint(dynamo, s3);
    System.setProperty(
        "aws.endpointUrlLambda", "http://127.0.0.1:" + lambda.getAddress().getPort());
  }

  /** The record MAC key the registrar seals with, as the control plane's KMS holds it. */
  static dev.cairn.core.ledger.ItemMacs macs() {
    return new dev.cairn.core.ledger.ItemMacs(
        new dev.cairn.aws.kms.KmsItemAuthenticator(kms, "alias/cairn-record-mac"));
  }

  /**
   * Lambda's Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) answered by the
   * registrar handler. The installation trusts only {@link #keys}, whatever trust policy file CI
   * passes.
   */
  static HttpServer registrarEndpoint(LocalDynamoDb dynamo, LocalS3 s3) throws Exception {
    Clock clock = Clock.systemUTC();
    TrustPolicy installation =
        TrustPolicy.of(
            List.of(
                new TrustPolicy.SignerSpec(
                    "kms:alias/cdk-ci-artifact-signer",
                    SignatureAlgorithm.ECDSA_SHA_256,
                    PemKeys.toPem(keys.getPublic()))),
            List.of("2.1148.1"),
            List.of("refs/heads/main"));
    RegistrarHandler handler =
        new RegistrarHandler(
            new RegistrationUseCase(
                new DynamoDbDeploymentLedger(
                    dynamo.client(),
                    tables.artifactMetadata(),
                    tables.auditLog(),
                    clock,
                    macs(),
                    refused -> {}),
                new DynamoDbAuditLog(
                    dynamo.client(),
                    tables.auditLog(),
                    AuditChain.DEFAULT_CHAIN_ID,
                    macs(),
                    refused -> {}),
                new S3ArtifactStore(s3.client(), null),
                new ArtifactVerifier(installation, VerifierOptions.pipeline(), clock),
                new EnvironmentChain(
                    List.of(env("stage", "111111111111"), env("prod", "222222222222"))),
                buckets.candidate(),
                "us-east-1",
                "cairn-registrar",
                clock));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/2015-03-31/functions/",
        exchange -> {
          invoked.add(exchange.getRequestURI().getPath());
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (InputStream in = exchange.getRequestBody()) {
            handler.handleRequest(in, out, null);
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, out.size());
          exchange.getResponseBody().write(out.toByteArray());
          exchange.close();
        });
    server.start();
    return server;
  }

  static EnvironmentPolicy env(String name, String account) {
    return new EnvironmentPolicy(
        name,
        account,
        "us-east-1",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-deploy",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-cfn-exec",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-readonly",
        false,
        name + "-tests",
        0,
        List.of(),
        0,
        null);
  }

  @AfterAll
  static void tearDown() {
    lambda.stop(0);
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
                "--trust-policy",
                trustPolicy.toString()));
    Collections.addAll(a, extra);
    return a;
  }

  @Test
  @Order(1)
  void publish_verifiesUploadsAndHasTheRegistrarRecordTheCandidate() {
    Run r = cairn(publishArgs(COMMIT, cdkOut, manifest).toArray(String[]::new));
    assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(r.out()).contains("PUBLISHED orders @ " + COMMIT).contains("status=candidate");
    assertThat(invoked).containsExactly("/2015-03-31/functions/cairn-registrar:live/invocations");
  }

  @Test
  @Order(2)
  void publish_sameCommitTwice_isIdempotent_andADifferentManifestIsRefused() throws Exception {
    Run r = cairn(publishArgs(COMMIT, cdkOut, manifest, "--format", "json").toArray(String[]::new));
    assertThat(r.exit()).as(r.out()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(Json.parse(r.out()).at("/registration/already_registered").asBoolean()).isTrue();

    Path rebuilt = dir.resolve("rebuilt.json");
    Files.writeString(rebuilt, Files.readString(manifest) + "\n");
    Run other = cairn(publishArgs(COMMIT, cdkOut, rebuilt).toArray(String[]::new));
    assertThat(other.exit()).as(other.err()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(other.err()).startsWith("REFUSED:");
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
    assertThat(record.get("status").asText()).isEqualTo("candidate");
    assertThat(record.get("environment_states").get("stage").get("test_status").asText())
        .isEqualTo("not_tested");
    assertThat(record.path("previous_commit_sha").isTextual()).as("first commit").isFalse();
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
                      new dev.cairn.core.lifecycle.ArtifactKey("forged", commit),
                      "d".repeat(64),
                      "s3://" + buckets.candidate() + "/forged/" + commit + "/",
                      java.time.Instant.parse("2026-11-22T09:00:00Z"),
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
  void publish_secondCommit_getsItsPreviousCommitFromTheLedgerNotFromCi() throws Exception {
    String commit = "2".repeat(40);
    Path m2 =
        signed(commit, new PemKeySigner("kms:alias/cdk-ci-artifact-signer", keys.getPrivate()));
    Run r = cairn(publishArgs(commit, cdkOut, m2).toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode record = status(commit);
    assertThat(record.get("previous_commit_sha").asText()).isEqualTo(COMMIT);
    assertThat(record.at("/environment_states/stage/status").asText()).isEqualTo("pending");
    assertThat(record.at("/environment_states/prod/status").asText()).isEqualTo("not_deployed");
  }

  @Test
  @Order(7)
  void publish_whenOnlyCisTrustPolicyTrustsTheKey_isRefusedByTheRegistrar() throws Exception {
    // CI's --trust-policy file is CI's to edit; the registrar checks the installation's keys.
    KeyPair rogue = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    Path rogueTrust = dir.resolve("rogue-trust.json");
    Files.writeString(
        rogueTrust,
        Json.pretty(
            TrustPolicy.toJson(
                List.of(
                    new TrustPolicy.SignerSpec(
                        "kms:alias/cdk-ci-artifact-signer",
                        SignatureAlgorithm.ECDSA_SHA_256,
                        PemKeys.toPem(rogue.getPublic()))),
                List.of("2.1148.1"),
                List.of("refs/heads/main"))));
    String commit = "3".repeat(40);
    Path m3 =
        signed(commit, new PemKeySigner("kms:alias/cdk-ci-artifact-signer", rogue.getPrivate()));
    List<String> args = publishArgs(commit, cdkOut, m3, "--format", "json");
    args.set(args.indexOf(trustPolicy.toString()), rogueTrust.toString());
    Run r = cairn(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(CairnCli.EXIT_FAILED);
    JsonNode out = Json.parse(r.out());
    assertThat(out.path("failure").asText()).isEqualTo("REGISTRATION_MANIFEST_REJECTED");
    assertThat(out.at("/registration/detail").asText()).startsWith("SIGNATURE_INVALID");
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

  static Path signed(String commit, PemKeySigner signer) throws Exception {
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
                    1)
                .withGitSignature(
                    new ArtifactManifest.GitSignature(
                        "ssh", "SHA256:" + "A".repeat(43), "ci@example.test", "main")));
    Path m = dir.resolve("m-" + commit + ".json");
    Files.writeString(m, Json.pretty(ManifestFactory.sign(unsigned, signer)));
    return m;
  }

  static JsonNode status(String commit) throws Exception {
    return Json.parse(
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
  }

  @Test
  @Order(8)
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
