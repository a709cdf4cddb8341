package dev.cairn.cli.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** The commands end to end: bless with a generator command, fetch, and refuse a tampered one. */
@ExtendWith(S3LocalExtension.class)
class ContextCommandsTest {

  @TempDir Path dir;
  S3Client s3;
  String bucket;
  Path privateKey;
  Path publicKey;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp(LocalBuckets buckets) throws Exception {
    this.s3 = LocalContextsS3.client();
    this.bucket = buckets.contexts();
    KeyPair kp = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    privateKey = Files.writeString(dir.resolve("signer.pem"), PemKeys.toPem(kp.getPrivate()));
    publicKey = Files.writeString(dir.resolve("signer.pub.pem"), PemKeys.toPem(kp.getPublic()));
  }

  ContextClients local() {
    return new ContextClients() {
      @Override
      public S3Client s3(String endpointUrl, String region) {
        return LocalContextsS3.client();
      }

      @Override
      public KmsClient kms(String region) {
        throw new UnsupportedOperationException("no KMS in this test");
      }
    };
  }

  int run(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  int bless(String env, String generate) {
    return run(
        new ContextBlessCommand(
            local(), Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC)),
        "--bucket",
        bucket,
        "--env",
        env,
        "--context-file",
        dir.resolve("cdk.context.json").toString(),
        "--generate-command",
        generate,
        "--sign-with",
        "pem:" + privateKey);
  }

  int fetch(String env, Path to) {
    return run(
        new ContextFetchCommand(local()),
        "--bucket",
        bucket,
        "--env",
        env,
        "--public-key",
        publicKey.toString(),
        "--out",
        to.toString());
  }

  @Test
  void bless_thenFetch_writesTheVerifiedContextAndPrintsItsHash() throws Exception {
    assertThat(bless("cmd-ok", "printf '{\"k\":\"v\"}' > cdk.context.json")).isZero();
    Path target = dir.resolve("svc/.cdk.context.json");
    assertThat(fetch("cmd-ok", target)).as(err.toString()).isZero();
    assertThat(Files.readString(target)).isEqualTo("{\"k\":\"v\"}");
    assertThat(out.toString()).contains("cdk_context_hash=").contains("cdk_context_bless_object=");
  }

  @Test
  void bless_whenGeneratorIsNotDeterministic_exits1() {
    assertThat(bless("cmd-nondet", "date +%s%N | sed 's/.*/{\"t\":\"&\"}/' > cdk.context.json"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("NON_DETERMINISTIC");
  }

  @Test
  void fetch_whenTampered_exits1_andWritesNothing() throws Exception {
    assertThat(bless("cmd-tamper", "printf '{\"k\":\"v\"}' > cdk.context.json")).isZero();
    // A new version of the dated object, and the pointer moved to it: fetch reads what the pointer
    // names, and the bless's hash file and signature do not vouch for it.
    String dated =
        dev.cairn.core.json.Json.parse(
                s3.getObjectAsBytes(r -> r.bucket(bucket).key("cmd-tamper/latest.bless.json"))
                    .asByteArray())
            .path("object_key")
            .asText();
    String evilVersion =
        s3.putObject(
                PutObjectRequest.builder().bucket(bucket).key(dated).build(),
                RequestBody.fromString("{\"k\":\"evil\"}"))
            .versionId();
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key("cmd-tamper/latest.bless.json").build(),
        RequestBody.fromString(
            "{\"object_key\":\"" + dated + "\",\"version_id\":\"" + evilVersion + "\"}"));
    Path target = dir.resolve("tampered.json");
    assertThat(fetch("cmd-tamper", target)).isEqualTo(1);
    assertThat(err.toString()).contains("HASH_MISMATCH");
    assertThat(target).doesNotExist();
  }

  @Test
  void fetch_whenNothingBlessed_exits1() {
    assertThat(fetch("cmd-none", dir.resolve("x.json"))).isEqualTo(1);
    assertThat(err.toString()).contains("MISSING_CONTEXT");
  }
}
