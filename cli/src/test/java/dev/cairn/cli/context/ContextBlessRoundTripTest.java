package dev.cairn.cli.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.aws.kms.KmsManifestSigner;
import dev.cairn.aws.s3.S3BlessedContextStore;
import dev.cairn.cli.context.ContextRejectedException.Reason;
import dev.cairn.core.context.ContextBlessException;
import dev.cairn.core.context.ContextBlesser;
import dev.cairn.core.context.ContextKeys;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSigner;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.local.emulators.KmsEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.testsupport.S3LocalExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

@ExtendWith(S3LocalExtension.class)
class ContextBlessRoundTripTest {

  static final byte[] CONTEXT =
      ("{\"availability-zones:account=222222222222:region=us-east-1\":"
              + "[\"us-east-1a\",\"us-east-1b\"]}")
          .getBytes(StandardCharsets.UTF_8);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  static final KeyPair KEYS = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final KeyPair OTHER_KEYS = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);

  S3Client s3;
  String bucket;
  S3BlessedContextStore store;

  @BeforeEach
  void setUp(LocalBuckets buckets) {
    this.s3 = LocalContextsS3.client();
    this.bucket = buckets.contexts();
    this.store = new S3BlessedContextStore(s3, bucket);
  }

  PemKeySigner pemSigner() {
    return new PemKeySigner("pem:context-signer", KEYS.getPrivate());
  }

  ContextTrust pemTrust() {
    return new ContextTrust.Pem(KEYS.getPublic(), SignatureAlgorithm.ECDSA_SHA_256);
  }

  ContextBlesser.Blessed blessPem(String env) {
    return new ContextBlesser(store, CLOCK).bless(env, () -> CONTEXT.clone(), pemSigner());
  }

  @Test
  void blessThenFetch_pem_roundTripsTheExactBytes() {
    ContextBlesser.Blessed b = blessPem("rt-pem");
    assertThat(b.keys().context()).isEqualTo("rt-pem/20261122T100000Z.context.json");
    assertThat(store.get("rt-pem/20261122T100000Z.context.sha256").orElseThrow())
        .asString(StandardCharsets.US_ASCII)
        .isEqualTo(b.sha256() + "  20261122T100000Z.context.json\n");
    assertThat(store.get("rt-pem/20261122T100000Z.context.json.sig")).isPresent();
    assertThat(store.get("rt-pem/latest.context.json").orElseThrow()).isEqualTo(CONTEXT);

    ContextFetcher.Verified latest =
        new ContextFetcher(store).fetch(ContextKeys.latest("rt-pem"), pemTrust());
    assertThat(latest.context()).isEqualTo(CONTEXT);
    assertThat(latest.sha256()).isEqualTo(b.sha256());
    ContextFetcher.Verified dated = new ContextFetcher(store).fetch(b.keys(), pemTrust());
    assertThat(dated.context()).isEqualTo(CONTEXT);
  }

  @Test
  void fetchCurrent_readsTheBlessTheLatestPointerNames_andAnOlderBlessStaysFetchable() {
    ContextBlesser.Blessed first = blessPem("rt-ref");
    byte[] next = "{\"next\":true}".getBytes(StandardCharsets.UTF_8);
    ContextBlesser.Blessed second =
        new ContextBlesser(store, Clock.offset(CLOCK, java.time.Duration.ofHours(1)))
            .bless("rt-ref", next::clone, pemSigner());

    ContextFetcher.Verified current = new ContextFetcher(store).fetchCurrent("rt-ref", pemTrust());
    assertThat(current.bless()).isEqualTo(second.reference());
    assertThat(current.context()).isEqualTo(next);
    assertThat(second.versionId()).isNotBlank();
    // The artifact built before the re-bless names the first bless: still exactly those bytes.
    ContextFetcher.Verified earlier =
        new ContextFetcher(store).fetch(first.reference(), pemTrust());
    assertThat(earlier.context()).isEqualTo(CONTEXT);
    assertThat(earlier.sha256()).isEqualTo(first.sha256());
  }

  @Test
  void fetch_whenBlessRevoked_refusesRevoked() {
    ContextBlesser.Blessed b = blessPem("rt-revoked");
    new ContextBlesser(store, CLOCK).revoke(b.keys(), "poisoned lookup", pemSigner());

    assertThatThrownBy(() -> new ContextFetcher(store).fetch(b.reference(), pemTrust()))
        .isInstanceOfSatisfying(
            ContextRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(ContextRejectedException.Reason.REVOKED));
  }

  @Test
  void blessThenFetch_openPgp_writesAscSignature() {
    char[] pass = "correct horse".toCharArray();
    PgpKeys.GeneratedKey key = PgpKeys.generate("Context Signer <ctx@example.com>", pass);
    PgpSigner signer =
        new PgpSigner(
            "pgp:ctx",
            PgpKeys.readSigningKey(key.armoredSecretKey(), pass, java.time.Instant.now()));
    new ContextBlesser(store, CLOCK).bless("rt-pgp", () -> CONTEXT.clone(), signer);
    assertThat(store.get("rt-pgp/latest.context.json.asc").orElseThrow())
        .asString(StandardCharsets.US_ASCII)
        .contains("BEGIN PGP");
    ContextTrust trust = ContextTrust.parse(key.armoredPublicKey());
    assertThat(new ContextFetcher(store).fetch(ContextKeys.latest("rt-pgp"), trust).context())
        .isEqualTo(CONTEXT);
  }

  @Test
  void blessThenFetch_kms_signsDigestAndVerifiesWithThePublicKey() {
    KmsEmulator kms = new KmsEmulator();
    String keyId = kms.createKey(KeySpec.ECC_NIST_P256);
    kms.createAlias("alias/cdk-context-signer", keyId);
    new ContextBlesser(store, CLOCK)
        .bless(
            "rt-kms",
            () -> CONTEXT.clone(),
            new KmsManifestSigner(kms, "alias/cdk-context-signer", "kms:alias/cdk-context-signer"));
    ContextTrust trust =
        new ContextTrust.Pem(kms.publicKey(keyId), SignatureAlgorithm.ECDSA_SHA_256);
    assertThat(new ContextFetcher(store).fetch(ContextKeys.latest("rt-kms"), trust).context())
        .isEqualTo(CONTEXT);
    assertThat(kms.signRequests()).hasSize(1);
    assertThat(kms.signRequests().get(0).messageTypeAsString()).isEqualTo("DIGEST");
  }

  @Test
  void bless_whenGenerationsDiffer_refusesAndUploadsNothing() {
    AtomicInteger run = new AtomicInteger();
    assertThatThrownBy(
            () ->
                new ContextBlesser(store, CLOCK)
                    .bless(
                        "nondet",
                        () ->
                            ("{\"run\":" + run.incrementAndGet() + "}")
                                .getBytes(StandardCharsets.UTF_8),
                        pemSigner()))
        .isInstanceOfSatisfying(
            ContextBlessException.class,
            e -> assertThat(e.reason()).isEqualTo(ContextBlessException.Reason.NON_DETERMINISTIC));
    assertThat(run.get()).isEqualTo(2);
    assertThat(store.get("nondet/latest.context.json")).isEmpty();
  }

  @Test
  void bless_whenNotAJsonObject_refuses() {
    assertThatThrownBy(
            () ->
                new ContextBlesser(store, CLOCK)
                    .bless("notjson", () -> "[1,2]".getBytes(StandardCharsets.UTF_8), pemSigner()))
        .isInstanceOfSatisfying(
            ContextBlessException.class,
            e -> assertThat(e.reason()).isEqualTo(ContextBlessException.Reason.NOT_A_CONTEXT));
  }

  @Test
  void bless_sameDateTwice_refusesToOverwriteABlessedContext() {
    blessPem("twice");
    assertThatThrownBy(
            () ->
                new ContextBlesser(store, CLOCK)
                    .bless(
                        "twice",
                        () -> "{\"other\":1}".getBytes(StandardCharsets.UTF_8),
                        pemSigner()))
        .isInstanceOfSatisfying(
            ContextBlessException.class,
            e -> assertThat(e.reason()).isEqualTo(ContextBlessException.Reason.ALREADY_BLESSED));
  }

  @Test
  void fetch_whenNothingBlessed_refusesMissingContext() {
    assertRejected("never-blessed", pemTrust(), Reason.MISSING_CONTEXT);
  }

  @Test
  void fetch_whenContextTampered_refusesHashMismatch() {
    blessPem("tampered");
    put("tampered/latest.context.json", "{\"vpc-provider\":\"vpc-evil\"}");
    assertRejected("tampered", pemTrust(), Reason.HASH_MISMATCH);
  }

  @Test
  void fetch_whenContextAndHashBothRewritten_refusesSignature() {
    blessPem("rewritten");
    String evil = "{\"vpc-provider\":\"vpc-evil\"}";
    put("rewritten/latest.context.json", evil);
    put(
        "rewritten/latest.context.sha256",
        dev.cairn.core.integrity.Sha256.hex(evil.getBytes(StandardCharsets.UTF_8))
            + "  latest.context.json\n");
    assertRejected("rewritten", pemTrust(), Reason.SIGNATURE_INVALID);
  }

  @Test
  void fetch_whenHashFileMissing_refuses() {
    blessPem("nohash");
    delete("nohash/latest.context.sha256");
    assertRejected("nohash", pemTrust(), Reason.MISSING_HASH);
  }

  @Test
  void fetch_whenHashFileMalformed_refuses() {
    blessPem("badhash");
    put("badhash/latest.context.sha256", "not-a-hash\n");
    assertRejected("badhash", pemTrust(), Reason.MALFORMED_HASH);
  }

  @Test
  void fetch_whenSignatureMissing_refuses() {
    blessPem("nosig");
    delete("nosig/latest.context.json.sig");
    assertRejected("nosig", pemTrust(), Reason.MISSING_SIGNATURE);
  }

  @Test
  void fetch_whenSignedByAnUntrustedKey_refuses() {
    blessPem("untrusted");
    ContextTrust other =
        new ContextTrust.Pem(OTHER_KEYS.getPublic(), SignatureAlgorithm.ECDSA_SHA_256);
    assertRejected("untrusted", other, Reason.SIGNATURE_INVALID);
  }

  @Test
  void fetch_whenSignatureIsGarbage_refuses() {
    blessPem("garbage");
    put("garbage/latest.context.json.sig", "%%%not base64%%%\n");
    assertRejected("garbage", pemTrust(), Reason.SIGNATURE_INVALID);
  }

  @Test
  void fetch_whenTrustIsOpenPgpButOnlyKmsSignatureExists_refusesMissingSignature() {
    blessPem("kind");
    char[] pass = "p".toCharArray();
    ContextTrust pgp =
        ContextTrust.parse(PgpKeys.generate("X <x@example.com>", pass).armoredPublicKey());
    assertRejected("kind", pgp, Reason.MISSING_SIGNATURE);
  }

  @Test
  void fetch_whenExpectedHashDiffers_refuses() {
    blessPem("expect");
    assertThatThrownBy(
            () ->
                new ContextFetcher(store)
                    .fetch(
                        ContextKeys.latest("expect"),
                        pemTrust(),
                        java.util.Optional.of("0".repeat(64))))
        .isInstanceOfSatisfying(
            ContextRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_HASH));
  }

  private void assertRejected(String env, ContextTrust trust, Reason reason) {
    assertThatThrownBy(() -> new ContextFetcher(store).fetch(ContextKeys.latest(env), trust))
        .isInstanceOfSatisfying(
            ContextRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private void put(String key, String body) {
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromString(body));
  }

  private void delete(String key) {
    s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
  }
}
