package dev.cairn.lambda.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.aws.dynamodb.Contention;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.failure.RegistrationFailure;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.registrar.RegistrationUseCase;
import dev.cairn.core.signature.port.ManifestSigner;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.TestKeys;
import dev.cairn.core.verify.VerifierOptions;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real handler on DynamoDB Local and S3Proxy with real signatures: the record comes from the
 * signed manifest the registrar reads itself, never from the request.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class RegistrarHandlerTest {

  static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");
  final String service = "orders-" + UUID.randomUUID().toString().substring(0, 8);

  final S3Client s3;
  final LocalBuckets buckets;
  final DynamoDbDeploymentLedger ledger;
  final DynamoDbAuditLog audit;
  final RegistrarHandler handler;
  int commits;

  @TempDir Path work;

  /** The record MAC key the registrar seals with (the KMS emulator's HMAC key). */
  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  RegistrarHandlerTest(DynamoDbClient dynamoDb, LocalTables tables, S3Client s3, LocalBuckets b) {
    this.s3 = s3;
    this.buckets = b;
    String chainId = "chain-" + UUID.randomUUID();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    this.ledger =
        new DynamoDbDeploymentLedger(
            dynamoDb,
            tables.artifactMetadata(),
            tables.auditLog(),
            chainId,
            clock,
            Contention.defaults(),
            MACS.macs(),
            MACS.alerts());
    this.audit =
        new DynamoDbAuditLog(dynamoDb, tables.auditLog(), chainId, MACS.macs(), MACS.alerts());
    this.handler =
        new RegistrarHandler(
            new RegistrationUseCase(
                ledger,
                audit,
                new S3ArtifactStore(s3, null),
                new ArtifactVerifier(TestKeys.POLICY, VerifierOptions.pipeline(), clock),
                new EnvironmentChain(
                    List.of(env("dev", "111111111111"), env("prod", "222222222222"))),
                b.candidate(),
                "eu-west-1",
                "cairn-registrar",
                clock));
  }

  @Test
  void register_signedManifest_createsTheCandidateFromTheManifestWithItsAuditEntry()
      throws Exception {
    String commit = publish(TestKeys.signerA(), "2026-12-06T08:50:00Z");

    JsonNode out = invoke(request(service, commit));

    assertThat(out.path("outcome").asText()).isEqualTo("registered");
    assertThat(out.path("already_registered").asBoolean()).isFalse();
    ArtifactRecord r = ledger.find(new ArtifactKey(service, commit)).orElseThrow();
    assertThat(r.status()).isEqualTo(ArtifactStatus.CANDIDATE);
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.buildTime()).isEqualTo(Instant.parse("2026-12-06T08:50:00Z"));
    assertThat(r.targetRegion()).isEqualTo("eu-west-1");
    assertThat(r.environmentStates().keySet()).containsExactly("dev", "prod");
    assertThat(r.environment("dev").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(r.environment("prod").status()).isEqualTo(EnvironmentStatus.NOT_DEPLOYED);
    assertThat(r.artifactUrl())
        .isEqualTo("s3://" + buckets.candidate() + "/" + ArtifactLayout.prefix(service, commit));
    List<JsonNode> entries = entries();
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).path("action").asText()).isEqualTo("ArtifactPublished");
    assertThat(entries.get(0).at("/actor/role").asText()).isEqualTo("ci");
    assertThat(entries.get(0).at("/actor/id").asText()).isEqualTo(TestKeys.ID_A);
  }

  @Test
  void register_previousCommit_comesFromTheLedger() throws Exception {
    String first = publish(TestKeys.signerA(), "2026-12-06T08:00:00Z");
    invoke(request(service, first));
    String second = publish(TestKeys.signerA(), "2026-12-06T08:30:00Z");

    invoke(request(service, second));

    assertThat(ledger.find(new ArtifactKey(service, second)).orElseThrow().previousCommitSha())
        .isEqualTo(first);
    assertThat(ledger.find(new ArtifactKey(service, first)).orElseThrow().previousCommitSha())
        .isNull();
  }

  @Test
  void register_twiceWithTheSameManifest_isIdempotent() throws Exception {
    String commit = publish(TestKeys.signerA(), "2026-12-06T08:50:00Z");
    invoke(request(service, commit));

    JsonNode again = invoke(request(service, commit));

    assertThat(again.path("outcome").asText()).isEqualTo("registered");
    assertThat(again.path("already_registered").asBoolean()).isTrue();
    assertThat(entries()).hasSize(1);
  }

  @Test
  void register_whenTheManifestWasReplacedAfterRegistration_failsRegistrationConflict()
      throws Exception {
    String commit = publish(TestKeys.signerA(), "2026-12-06T08:50:00Z");
    invoke(request(service, commit));
    ArtifactRecord before = ledger.find(new ArtifactKey(service, commit)).orElseThrow();
    upload(commit, TestKeys.signerA(), "2026-12-06T08:55:00Z");

    assertRefused(request(service, commit), RegistrationFailure.REGISTRATION_CONFLICT, 2);
    assertThat(ledger.find(new ArtifactKey(service, commit)).orElseThrow()).isEqualTo(before);
  }

  @Test
  void register_withFieldsBeyondTheKey_failsRegistrationMalformed() throws Exception {
    String commit = publish(TestKeys.signerA(), "2026-12-06T08:50:00Z");
    ObjectNode req = request(service, commit);
    req.put("status", "promoted");

    assertRefused(req, RegistrationFailure.REGISTRATION_MALFORMED, 1);
    assertThat(ledger.find(new ArtifactKey(service, commit))).isEmpty();
  }

  @Test
  void register_withAShortCommit_failsRegistrationMalformed() throws Exception {
    assertRefused(request(service, "0123abc"), RegistrationFailure.REGISTRATION_MALFORMED, 1);
  }

  @Test
  void register_withoutAManifest_failsRegistrationManifestMissing() throws Exception {
    assertRefused(
        request(service, "ffffffffffffffffffffffffffffffffffffffff"),
        RegistrationFailure.REGISTRATION_MANIFEST_MISSING,
        1);
  }

  @Test
  void register_manifestSignedByAnUntrustedKey_failsRegistrationManifestRejected()
      throws Exception {
    String commit = publish(TestKeys.impostorClaiming(TestKeys.ID_A), "2026-12-06T08:50:00Z");

    JsonNode out =
        assertRefused(
            request(service, commit), RegistrationFailure.REGISTRATION_MANIFEST_REJECTED, 1);

    assertThat(out.path("detail").asText()).startsWith("SIGNATURE_INVALID");
    assertThat(ledger.find(new ArtifactKey(service, commit))).isEmpty();
  }

  @Test
  void register_manifestOfAnotherCommitUnderThisKey_failsRegistrationManifestRejected()
      throws Exception {
    String other = publish(TestKeys.signerA(), "2026-12-06T08:50:00Z");
    String commit = String.format("%040x", 999_999);
    s3.putObject(
        r ->
            r.bucket(buckets.candidate())
                .key(ArtifactLayout.prefix(service, commit) + ArtifactLayout.MANIFEST_FILE),
        RequestBody.fromBytes(manifestBytes(other)));

    JsonNode out =
        assertRefused(
            request(service, commit), RegistrationFailure.REGISTRATION_MANIFEST_REJECTED, 1);

    assertThat(out.path("detail").asText()).startsWith("COMMIT_MISMATCH");
  }

  JsonNode assertRefused(ObjectNode request, RegistrationFailure failure, int entries)
      throws Exception {
    JsonNode out = invoke(request);
    assertThat(out.path("outcome").asText()).isEqualTo("refused");
    assertThat(out.path("failure").asText()).isEqualTo(failure.name());
    List<JsonNode> all = entries();
    assertThat(all).hasSize(entries);
    JsonNode last = all.get(all.size() - 1);
    assertThat(last.path("action").asText()).isEqualTo(RegistrationUseCase.REFUSED_ACTION);
    assertThat(last.at("/details/failure").asText()).isEqualTo(failure.name());
    assertThat(AuditChainVerifier.verify(audit.entries()).valid()).isTrue();
    return out;
  }

  /** Uploads a cdk.out and its manifest signed by {@code signer}; returns the commit. */
  String publish(ManifestSigner signer, String buildTime) throws Exception {
    String commit = String.format("%040x", ++commits);
    upload(commit, signer, buildTime);
    return commit;
  }

  void upload(String commit, ManifestSigner signer, String buildTime) throws Exception {
    Path cdkOut = Files.createDirectories(work.resolve(commit + "-" + buildTime.replace(':', '-')));
    Files.writeString(cdkOut.resolve("manifest.json"), "{\"version\":\"36.0.0\"}");
    Files.writeString(cdkOut.resolve("Orders.template.json"), "{\"Resources\":{}}");
    ObjectNode manifest =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(cdkOut),
            new ManifestFactory.BuildFacts(
                    service,
                    commit,
                    TestKeys.MAIN,
                    true,
                    TestKeys.CLI_VERSION,
                    "a".repeat(64),
                    Map.of("aws-cdk-lib", "2.263.0"),
                    buildTime,
                    42)
                .withGitSignature(
                    new ArtifactManifest.GitSignature(
                        "ssh", "SHA256:" + "A".repeat(43), "ci@example.test", "main")));
    byte[] bytes =
        Json.pretty(ManifestFactory.sign(manifest, signer)).getBytes(StandardCharsets.UTF_8);
    s3.putObject(
        r ->
            r.bucket(buckets.candidate())
                .key(ArtifactLayout.prefix(service, commit) + ArtifactLayout.MANIFEST_FILE),
        RequestBody.fromBytes(bytes));
  }

  byte[] manifestBytes(String commit) {
    return s3.getObjectAsBytes(
            r ->
                r.bucket(buckets.candidate())
                    .key(ArtifactLayout.prefix(service, commit) + ArtifactLayout.MANIFEST_FILE))
        .asByteArray();
  }

  List<JsonNode> entries() {
    List<JsonNode> out = new ArrayList<>();
    audit.entries().forEachRemaining(out::add);
    return out;
  }

  ObjectNode request(String service, String commit) {
    ObjectNode o = Json.object();
    o.put("service", service);
    o.put("commit_sha", commit);
    return o;
  }

  JsonNode invoke(ObjectNode request) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(Json.compact(request).getBytes(StandardCharsets.UTF_8)),
        out,
        null);
    return Json.parse(out.toByteArray());
  }

  static EnvironmentPolicy env(String name, String account) {
    return new EnvironmentPolicy(
        name,
        account,
        "eu-west-1",
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

  @Test
  void primed_thenRegistersAsUnprimed() throws Exception {
    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames()).contains("DynamoDB", "S3", "KMS", "signatures");
    register_signedManifest_createsTheCandidateFromTheManifestWithItsAuditEntry();
  }
}
