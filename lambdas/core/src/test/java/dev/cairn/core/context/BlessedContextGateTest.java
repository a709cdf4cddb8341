package dev.cairn.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.signature.port.ManifestSigner;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.ArtifactFixture;
import dev.cairn.core.verify.BlessedContextVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.TestKeys;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gate 6 as the pipeline runs it: the artifact names the bless it was built with, and that exact
 * object version must be blessed (signed by a context-blessing key), not revoked, and hash to
 * {@code cdk_context_hash}. One test per defect, each asserting its code.
 */
class BlessedContextGateTest {

  static final String CONTEXT_SIGNER = "kms:alias/cdk-context-signer";
  static final KeyPair CONTEXT_KEY = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final byte[] CONTEXT =
      "{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1a\"]}\n"
          .getBytes(StandardCharsets.UTF_8);
  static final byte[] NEXT_CONTEXT =
      "{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1b\"]}\n"
          .getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  ArtifactFixture fx;
  InMemoryContextStore store;
  Instant now = Instant.parse("2026-12-06T10:00:00Z");
  TrustPolicy policy;

  @BeforeEach
  void setUp() {
    fx = ArtifactFixture.example(tmp);
    store = new InMemoryContextStore();
    policy =
        TestKeys.POLICY.withContextSigners(
            List.of(
                new TrustPolicy.SignerSpec(
                    CONTEXT_SIGNER,
                    SignatureAlgorithm.ECDSA_SHA_256,
                    PemKeys.toPem(CONTEXT_KEY.getPublic()))));
  }

  static ManifestSigner contextSigner() {
    return new PemKeySigner(CONTEXT_SIGNER, CONTEXT_KEY.getPrivate());
  }

  ContextBlesser.Blessed bless(String env, byte[] context) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    now = now.plus(Duration.ofMinutes(5));
    return new ContextBlesser(store, clock).bless(env, context::clone, contextSigner());
  }

  /** The manifest CI writes after fetching {@code bless}: its hash and its reference, signed. */
  ObjectNode builtWith(String contextHash, ContextBlessReference bless) {
    ObjectNode unsigned = fx.unsigned();
    unsigned.put("cdk_context_hash", contextHash);
    return ArtifactFixture.resign(
        bless == null ? unsigned : ManifestFactory.withContextBless(unsigned, bless));
  }

  VerificationReport verifyInPipeline(ObjectNode manifest) {
    String digest = manifest.get("artifact_sha256").textValue();
    return fx.policy(policy)
        .options(VerifierOptions.pipeline().withHashThreads(2))
        .expect(
            new Expectations(
                null,
                null,
                digest,
                null,
                new BlessedContextVerifier(store, policy.contextSigners(), ArtifactFixture.CLOCK)))
        .verify(manifest);
  }

  static void assertRefused(VerificationReport report, FailureCode code) {
    assertThat(report.accepted()).as("verdict").isFalse();
    assertThat(report.firstFailure().code()).as("%s", report.failures()).isEqualTo(code);
    assertThat(report.firstFailure().gate()).isEqualTo(Gate.CONTEXT_HASH);
  }

  @Test
  void verify_whenBuiltWithBlessedContext_passesContextGate() {
    var b = bless("prod", CONTEXT);

    VerificationReport r = verifyInPipeline(builtWith(b.sha256(), b.reference()));

    assertThat(r.accepted()).as("%s", r.failures()).isTrue();
    assertThat(r.digests().get("cdk_context_bless")).isEqualTo(b.reference().toString());
  }

  @Test
  void verify_whenReblessedAfterTheBuild_stillPassesWithTheBlessItWasBuiltWith() {
    var built = bless("stage", CONTEXT);
    ObjectNode manifest = builtWith(built.sha256(), built.reference());
    // Mid-flight: both environments are re-blessed with other bytes.
    bless("stage", NEXT_CONTEXT);
    bless("prod", NEXT_CONTEXT);

    VerificationReport r = verifyInPipeline(manifest);

    assertThat(r.accepted()).as("%s", r.failures()).isTrue();
  }

  @Test
  void verify_whenManifestNamesNoBless_failsContextBlessMissing() {
    var b = bless("prod", CONTEXT);

    assertRefused(verifyInPipeline(builtWith(b.sha256(), null)), FailureCode.CONTEXT_BLESS_MISSING);
  }

  @Test
  void verify_whenNamedVersionDoesNotExist_failsContextNotBlessed() {
    var b = bless("prod", CONTEXT);

    assertRefused(
        verifyInPipeline(
            builtWith(b.sha256(), new ContextBlessReference(b.keys().context(), "v9"))),
        FailureCode.CONTEXT_NOT_BLESSED);
  }

  @Test
  void verify_whenContextWasNeverSigned_failsContextNotBlessed() {
    // An object in the bucket that no bless wrote: no signature beside it.
    String key = "prod/20261206T090000Z.context.json";
    String version = store.write(key, CONTEXT);

    assertRefused(
        verifyInPipeline(builtWith(Sha256.hex(CONTEXT), new ContextBlessReference(key, version))),
        FailureCode.CONTEXT_NOT_BLESSED);
  }

  @Test
  void verify_whenContextSignedByTheCiKey_failsContextNotBlessed() {
    // CI's artifact key may not bless what it builds with.
    var ci =
        new ContextBlesser(store, Clock.fixed(now, ZoneOffset.UTC))
            .bless("prod", CONTEXT::clone, TestKeys.signerA());

    assertRefused(
        verifyInPipeline(builtWith(ci.sha256(), ci.reference())), FailureCode.CONTEXT_NOT_BLESSED);
  }

  @Test
  void verify_whenManifestNamesTheLatestCopy_failsContextNotBlessed() {
    var b = bless("prod", CONTEXT);
    ContextKeys latest = ContextKeys.latest("prod");

    assertRefused(
        verifyInPipeline(builtWith(b.sha256(), new ContextBlessReference(latest.context(), "v1"))),
        FailureCode.CONTEXT_NOT_BLESSED);
  }

  @Test
  void verify_whenBlessWasRevoked_failsContextBlessRevoked() {
    var b = bless("prod", CONTEXT);
    ObjectNode manifest = builtWith(b.sha256(), b.reference());
    new ContextBlesser(store, Clock.fixed(now, ZoneOffset.UTC))
        .revoke(b.keys(), "poisoned VPC lookup", contextSigner());

    VerificationReport r = verifyInPipeline(manifest);

    assertRefused(r, FailureCode.CONTEXT_BLESS_REVOKED);
    assertThat(r.firstFailure().detail()).contains("poisoned VPC lookup");
  }

  @Test
  void verify_whenDeclaredHashIsNotTheBlessedContexts_failsContextHashMismatch() {
    var b = bless("prod", CONTEXT);

    assertRefused(
        verifyInPipeline(builtWith(Sha256.hex(NEXT_CONTEXT), b.reference())),
        FailureCode.CONTEXT_HASH_MISMATCH);
  }

  @Test
  void verify_whenBlessReferenceEditedAfterSigning_failsSignature() {
    var first = bless("prod", CONTEXT);
    var second = bless("prod", NEXT_CONTEXT);
    ObjectNode manifest = builtWith(second.sha256(), second.reference());
    manifest.set("cdk_context_bless", first.reference().toJson());

    VerificationReport r = verifyInPipeline(manifest);

    assertThat(r.accepted()).isFalse();
    assertThat(r.firstFailure().code()).isEqualTo(FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void revoke_refusesTheLatestCopyAndASecondRevocation() {
    var b = bless("prod", CONTEXT);
    var blesser = new ContextBlesser(store, Clock.fixed(now, ZoneOffset.UTC));
    blesser.revoke(b.keys(), "bad", contextSigner());

    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> blesser.revoke(b.keys(), "again", contextSigner()),
                    ContextBlessException.class)
                .reason())
        .isEqualTo(ContextBlessException.Reason.ALREADY_REVOKED);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> blesser.revoke(ContextKeys.latest("prod"), "x", contextSigner()),
                    ContextBlessException.class)
                .reason())
        .isEqualTo(ContextBlessException.Reason.NOT_BLESSED);
  }
}
