package dev.cairn.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.kms.KmsManifestSigner;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import dev.cairn.local.emulators.KmsEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(S3LocalExtension.class)
class S3ArtifactStoreTest {

  private final S3Client s3;
  private final LocalBuckets buckets;

  S3ArtifactStoreTest(S3Client s3, LocalBuckets buckets) {
    this.s3 = s3;
    this.buckets = buckets;
  }

  static Path cdkOut(Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("cdk.out"));
    Files.writeString(out.resolve("manifest.json"), "{\"version\":\"41.0.0\",\"artifacts\":{}}");
    Files.writeString(out.resolve("tree.json"), "{\"version\":\"tree-0.1\"}");
    Files.createDirectories(out.resolve("asset.abc"));
    Files.write(out.resolve("asset.abc/index.js"), new byte[300_000]);
    Files.writeString(out.resolve("OrdersStack.template.json"), "{\"Resources\":{}}");
    return out;
  }

  private static String commit() {
    return UUID.randomUUID().toString().replace("-", "") + "abcdef01";
  }

  @Test
  void upload_thenStreamingSourceListsAndHashesTheSameFiles(@TempDir Path dir) throws Exception {
    Path out = cdkOut(dir);
    Path manifest = Files.writeString(dir.resolve("artifact-manifest.json"), "{}");
    String commit = commit();
    S3ArtifactStore store = new S3ArtifactStore(s3, null);
    S3ArtifactStore.Upload up = store.upload(buckets.candidate(), "orders", commit, out, manifest);
    // A PUT the SDK retried after a lost response finds its own object (412) and counts it as
    // already present with identical bytes; either way all five objects are in place.
    assertThat(up.filesWritten() + up.filesAlreadyPresent()).as(up.toString()).isEqualTo(5);
    assertThat(up.url()).isEqualTo("s3://" + buckets.candidate() + "/orders/" + commit + "/");

    S3ArtifactSource source = new S3ArtifactSource(s3, buckets.candidate(), "orders", commit, null);
    Map<String, String> remote = hashes(source);
    Map<String, String> local = hashes(new LocalDirectoryArtifactSource(out));
    assertThat(remote).isEqualTo(local).hasSize(4);
    assertThat(new String(source.manifest(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  @Test
  void upload_again_withSameBytesIsAccepted_withOtherBytesIsRefused_andNothingIsOverwritten(
      @TempDir Path dir) throws Exception {
    Path out = cdkOut(dir);
    Path manifest = Files.writeString(dir.resolve("artifact-manifest.json"), "{}");
    String commit = commit();
    S3ArtifactStore store = new S3ArtifactStore(s3, null);
    store.upload(buckets.candidate(), "orders", commit, out, manifest);
    S3ArtifactStore.Upload again =
        store.upload(buckets.candidate(), "orders", commit, out, manifest);
    assertThat(again.filesWritten()).isZero();
    assertThat(again.filesAlreadyPresent()).isEqualTo(5);

    Files.writeString(out.resolve("tree.json"), "{\"version\":\"tampered\"}");
    assertThatThrownBy(() -> store.upload(buckets.candidate(), "orders", commit, out, manifest))
        .isInstanceOf(S3ArtifactStore.ArtifactConflictException.class)
        .hasMessageContaining("never overwritten");
    assertThat(
            s3.getObjectAsBytes(
                    r -> r.bucket(buckets.candidate()).key("orders/" + commit + "/tree.json"))
                .asUtf8String())
        .isEqualTo("{\"version\":\"tree-0.1\"}");
  }

  @Test
  void upload_refusesReservedNames(@TempDir Path dir) throws Exception {
    Path out = cdkOut(dir);
    Files.writeString(out.resolve("artifact-manifest.json"), "{}");
    assertThatThrownBy(
            () ->
                new S3ArtifactStore(s3, null)
                    .upload(buckets.candidate(), "orders", commit(), out, out.resolve("tree.json")))
        .hasMessageContaining("reserved");
  }

  @Test
  void source_excludesManifestAndEvidence() {
    String commit = commit();
    String prefix = "svc/" + commit + "/";
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "a.json"), RequestBody.fromString("a"));
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "artifact-manifest.json"),
        RequestBody.fromString("{}"));
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "cairn-evidence/report.json"),
        RequestBody.fromString("{}"));
    assertThat(new S3ArtifactSource(s3, buckets.candidate(), "svc", commit, null).list())
        .extracting(ArtifactSource.Entry::path)
        .containsExactly("a.json");
  }

  private static String sha256(String text) throws Exception {
    return Sha256.hash(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))
        .hex();
  }

  /**
   * Writes {@code files} and the manifest; returns the evidence a verifier reading them records.
   */
  private dev.cairn.core.pipeline.ArtifactEvidence publish(
      String commit, Map<String, String> files, String manifest) throws Exception {
    String prefix = "svc/" + commit + "/";
    for (var f : files.entrySet()) {
      s3.putObject(
          r -> r.bucket(buckets.candidate()).key(prefix + f.getKey()),
          RequestBody.fromString(f.getValue()));
    }
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "artifact-manifest.json"),
        RequestBody.fromString(manifest));
    S3ArtifactStore store = new S3ArtifactStore(s3, null);
    ArtifactSource read = store.source(buckets.candidate(), "svc", commit);
    for (ArtifactSource.Entry e : read.list()) {
      try (InputStream in = read.open(e.path())) {
        in.readAllBytes();
      }
    }
    var m = store.readManifestObject(buckets.candidate(), "svc", commit, 1000).orElseThrow();
    return new dev.cairn.core.pipeline.ArtifactEvidence(
        buckets.candidate(),
        sha256(manifest),
        sha256("digest"),
        m.versionId(),
        read.versionsRead());
  }

  @Test
  void source_recordsTheVersionOfEveryObjectItRead_andPinnedReadsIgnoreLaterWrites()
      throws Exception {
    String commit = commit();
    var evidence = publish(commit, Map.of("a.json", "verified", "b.json", "b"), "{\"m\":1}");
    assertThat(evidence.pinned()).isTrue();
    assertThat(evidence.objectVersions()).containsOnlyKeys("a.json", "b.json");

    // A writer replaces a verified file and adds one after verification.
    String prefix = "svc/" + commit + "/";
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "a.json"), RequestBody.fromString("swap"));
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "c.json"), RequestBody.fromString("c"));

    ArtifactSource pinned = new S3ArtifactStore(s3, null).source(evidence, "svc", commit);
    assertThat(pinned.list())
        .extracting(ArtifactSource.Entry::path)
        .containsExactly("a.json", "b.json");
    try (InputStream in = pinned.open("a.json")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("verified");
    }
    assertThatThrownBy(() -> pinned.open("c.json"))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void releaseArtifact_writesTheVerifiedVersionsConditionally_notWhatIsInTheBucketNow()
      throws Exception {
    String commit = commit();
    var evidence = publish(commit, Map.of("a.json", "verified"), "{\"m\":1}");
    String prefix = "svc/" + commit + "/";
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key(prefix + "a.json"), RequestBody.fromString("swap"));
    S3ArtifactStore store = new S3ArtifactStore(s3, null);

    store.releaseArtifact(evidence, buckets.release(), "svc", commit);
    // Again (a retried promotion): identical bytes are kept.
    store.releaseArtifact(evidence, buckets.release(), "svc", commit);

    assertThat(
            s3.getObjectAsBytes(r -> r.bucket(buckets.release()).key(prefix + "a.json"))
                .asUtf8String())
        .isEqualTo("verified");
    assertThat(
            s3.getObjectAsBytes(
                    r -> r.bucket(buckets.release()).key(prefix + "artifact-manifest.json"))
                .asUtf8String())
        .isEqualTo("{\"m\":1}");
    assertThat(s3.listObjectVersions(r -> r.bucket(buckets.release()).prefix(prefix)).versions())
        .as("each release object written once")
        .hasSize(2);
  }

  @Test
  void releaseArtifact_otherBytesAlreadyInTheReleaseBucket_isAConflictNotAnOverwrite()
      throws Exception {
    String commit = commit();
    var evidence = publish(commit, Map.of("a.json", "verified"), "{\"m\":1}");
    String prefix = "svc/" + commit + "/";
    s3.putObject(
        r -> r.bucket(buckets.release()).key(prefix + "a.json"), RequestBody.fromString("planted"));

    assertThatThrownBy(
            () ->
                new S3ArtifactStore(s3, null)
                    .releaseArtifact(evidence, buckets.release(), "svc", commit))
        .isInstanceOf(dev.cairn.core.pipeline.EvidenceRefused.class)
        .hasMessageStartingWith("RELEASE_OBJECT_CONFLICT");
    assertThat(
            s3.getObjectAsBytes(r -> r.bucket(buckets.release()).key(prefix + "a.json"))
                .asUtf8String())
        .isEqualTo("planted");
  }

  @Test
  void kmsSignedManifest_uploadedToS3_verifiesFromS3WithThePinnedKmsKey(@TempDir Path dir)
      throws Exception {
    KmsEmulator kms = new KmsEmulator();
    String keyId = kms.createKey(KeySpec.ECC_NIST_P256);
    kms.createAlias("alias/cdk-ci-artifact-signer", keyId);
    String identity = "kms:alias/cdk-ci-artifact-signer";
    // The trust policy holds the key's public half, as `aws kms get-public-key` returns it.
    var pinned = kms.publicKey(keyId);

    Path out = cdkOut(dir);
    String commit = "0123456789abcdef0123456789abcdef01234567";
    ObjectNode unsigned =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(out),
            new ManifestFactory.BuildFacts(
                    "orders",
                    commit,
                    "refs/heads/main",
                    true,
                    "2.1148.1",
                    "c".repeat(64),
                    Map.of("aws-cdk-lib", "2.263.0"),
                    "2026-11-22T09:00:00Z",
                    42)
                .withGitSignature(
                    new ArtifactManifest.GitSignature(
                        "ssh", "SHA256:" + "B".repeat(43), "ci@example.test", "main")));
    ObjectNode signed =
        ManifestFactory.sign(
            unsigned, new KmsManifestSigner(kms, "alias/cdk-ci-artifact-signer", identity));
    assertThat(kms.signRequests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.messageTypeAsString()).isEqualTo("DIGEST");
              assertThat(r.message().asByteArray()).hasSize(32);
              assertThat(r.signingAlgorithmAsString()).isEqualTo("ECDSA_SHA_256");
            });
    Path manifest = Files.writeString(dir.resolve("artifact-manifest.json"), Json.pretty(signed));
    new S3ArtifactStore(s3, null).upload(buckets.candidate(), "orders", commit, out, manifest);

    TrustPolicy policy =
        TrustPolicy.of(
            List.of(
                new TrustPolicy.SignerSpec(
                    identity, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(pinned))),
            List.of("2.1148.1"),
            List.of("refs/heads/main"));
    S3ArtifactSource source = new S3ArtifactSource(s3, buckets.candidate(), "orders", commit, null);
    VerificationReport report =
        new ArtifactVerifier(policy, VerifierOptions.local(), Clock.systemUTC())
            .verify(
                source.manifest(),
                source,
                new Expectations("orders", commit, null, null),
                dev.cairn.core.verify.ProgressListener.NONE);
    assertThat(report.accepted()).as(Json.pretty(report.toJson())).isTrue();
  }

  private static Map<String, String> hashes(ArtifactSource source) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (ArtifactSource.Entry e : source.list()) {
      try (InputStream in = source.open(e.path())) {
        m.put(e.path(), Sha256.hash(in).hex());
      }
    }
    return m;
  }
}
