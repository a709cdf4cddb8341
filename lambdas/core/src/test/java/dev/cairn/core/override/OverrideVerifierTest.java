package dev.cairn.core.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustPolicyException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverrideVerifierTest {

  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final KeyPair CI = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final KeyPair ALICE = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final KeyPair BOB = PemKeys.generate(SignatureAlgorithm.RSASSA_PSS_SHA_256);
  static final KeyPair MALLORY = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);

  static final TrustPolicy CI_POLICY =
      TrustPolicy.of(
          List.of(
              new TrustPolicy.SignerSpec(
                  "kms:alias/cdk-ci-artifact-signer",
                  SignatureAlgorithm.ECDSA_SHA_256,
                  PemKeys.toPem(CI.getPublic()))),
          List.of("2.1148.1"),
          List.of("refs/heads/main"));

  static OperatorTrust operators() {
    return OperatorTrust.parse(
        Json.compact(
                OperatorTrust.toJson(
                    List.of(
                        new TrustPolicy.SignerSpec(
                            "key:alice",
                            SignatureAlgorithm.ECDSA_SHA_256,
                            PemKeys.toPem(ALICE.getPublic())),
                        new TrustPolicy.SignerSpec(
                            "key:bob",
                            SignatureAlgorithm.RSASSA_PSS_SHA_256,
                            PemKeys.toPem(BOB.getPublic())))))
            .getBytes(StandardCharsets.UTF_8),
        CI_POLICY);
  }

  static OverrideVerifier verifierAt(Instant now) {
    return new OverrideVerifier(operators(), INSTALLATION, Clock.fixed(now, ZoneOffset.UTC));
  }

  static final String INSTALLATION = "111111111111:us-east-1";

  static ObjectNode request(OverrideAction action, Instant at, Duration lifetime, String nonce) {
    return OverrideRequests.create(
        action,
        "hello-service",
        COMMIT,
        "prod",
        INSTALLATION,
        "smoke tests flaky; rolling back",
        "alice@example.com",
        at,
        lifetime,
        nonce);
  }

  static byte[] signed(ObjectNode req, String identity, KeyPair key) {
    return Json.compact(OverrideRequests.sign(req, new PemKeySigner(identity, key.getPrivate())))
        .getBytes(StandardCharsets.UTF_8);
  }

  static OverrideFailure refusal(OverrideVerifier v, byte[] doc) {
    try {
      v.verify(doc);
    } catch (OverrideRefusedException e) {
      return e.failure();
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void verify_whenSignedByOperatorWithinWindow_accepts() throws Exception {
    byte[] doc =
        signed(
            request(
                OverrideAction.ROLLBACK,
                NOW.minusSeconds(30),
                Duration.ofMinutes(10),
                "nonce-000000000001"),
            "key:alice",
            ALICE);

    VerifiedOverride v = verifierAt(NOW).verify(doc);

    assertThat(v.request().action()).isEqualTo(OverrideAction.ROLLBACK);
    assertThat(v.signerIdentity()).isEqualTo("key:alice");
  }

  @Test
  void verify_whenExpired_refusesOverrideExpired() {
    byte[] doc =
        signed(
            request(
                OverrideAction.ROLLBACK,
                NOW.minus(Duration.ofMinutes(16)),
                Duration.ofMinutes(15),
                "nonce-000000000002"),
            "key:alice",
            ALICE);

    assertThat(refusal(verifierAt(NOW), doc)).isEqualTo(OverrideFailure.OVERRIDE_EXPIRED);
  }

  @Test
  void verify_whenLifetimeOver15Minutes_refusesExpiryTooLong() {
    ObjectNode req =
        request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(15), "nonce-000000000003");
    req.put("expires_at", NOW.plus(Duration.ofMinutes(16)).toString());

    assertThat(refusal(verifierAt(NOW), signed(req, "key:alice", ALICE)))
        .isEqualTo(OverrideFailure.OVERRIDE_EXPIRY_TOO_LONG);
  }

  @Test
  void verify_whenRequestedInTheFuture_refusesNotYetValid() {
    byte[] doc =
        signed(
            request(
                OverrideAction.ROLLBACK,
                NOW.plus(Duration.ofMinutes(5)),
                Duration.ofMinutes(5),
                "nonce-000000000004"),
            "key:alice",
            ALICE);

    assertThat(refusal(verifierAt(NOW), doc)).isEqualTo(OverrideFailure.OVERRIDE_NOT_YET_VALID);
  }

  @Test
  void verify_whenSignerUnknown_refusesSignerUntrusted() {
    byte[] doc =
        signed(
            request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-000000000005"),
            "key:mallory",
            MALLORY);

    assertThat(refusal(verifierAt(NOW), doc)).isEqualTo(OverrideFailure.OVERRIDE_SIGNER_UNTRUSTED);
  }

  @Test
  void verify_whenIdentityClaimsAliceButMalloryKeySigned_refusesSignatureInvalid() {
    byte[] doc =
        signed(
            request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-000000000006"),
            "key:alice",
            MALLORY);

    assertThat(refusal(verifierAt(NOW), doc)).isEqualTo(OverrideFailure.OVERRIDE_SIGNATURE_INVALID);
  }

  @Test
  void verify_whenSignedByCiKey_refusesCiKey() {
    byte[] doc =
        signed(
            request(OverrideAction.PROMOTE, NOW, Duration.ofMinutes(5), "nonce-000000000007"),
            "kms:alias/cdk-ci-artifact-signer",
            CI);

    assertThat(refusal(verifierAt(NOW), doc)).isEqualTo(OverrideFailure.OVERRIDE_CI_KEY_REFUSED);
  }

  @Test
  void verify_whenReasonEditedAfterSigning_refusesSignatureInvalid() throws Exception {
    byte[] doc =
        signed(
            request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-000000000008"),
            "key:alice",
            ALICE);
    ObjectNode tampered = (ObjectNode) Json.parse(doc);
    tampered.put("reason", "something else entirely");

    assertThat(refusal(verifierAt(NOW), Json.compact(tampered).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OverrideFailure.OVERRIDE_SIGNATURE_INVALID);
  }

  @Test
  void verify_whenUnknownFieldOrBadAction_refusesMalformed() throws Exception {
    byte[] doc =
        signed(
            request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-000000000009"),
            "key:alice",
            ALICE);
    ObjectNode extra = (ObjectNode) Json.parse(doc);
    extra.put("surprise", true);
    ObjectNode badAction = (ObjectNode) Json.parse(doc);
    badAction.put("action", "delete_everything");

    assertThat(refusal(verifierAt(NOW), Json.compact(extra).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OverrideFailure.OVERRIDE_MALFORMED);
    assertThat(refusal(verifierAt(NOW), Json.compact(badAction).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OverrideFailure.OVERRIDE_MALFORMED);
    assertThat(refusal(verifierAt(NOW), "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OverrideFailure.OVERRIDE_MALFORMED);
  }

  @Test
  void operatorTrust_refusesCiKeyAsOperator() {
    byte[] doc =
        Json.compact(
                OperatorTrust.toJson(
                    List.of(
                        new TrustPolicy.SignerSpec(
                            "key:sneaky",
                            SignatureAlgorithm.ECDSA_SHA_256,
                            PemKeys.toPem(CI.getPublic())))))
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> OperatorTrust.parse(doc, CI_POLICY))
        .isInstanceOf(TrustPolicyException.class)
        .hasMessageContaining("distinct from CI");
  }

  @Test
  void verify_whenSignedForAnotherInstallation_refusesWrongInstallation() {
    ObjectNode req =
        request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-0000000000c1");
    req.put("installation_id", "999999999999:eu-west-1");

    assertThat(refusal(verifierAt(NOW), signed(req, "key:alice", ALICE)))
        .isEqualTo(OverrideFailure.OVERRIDE_WRONG_INSTALLATION);
  }

  @Test
  void verify_whenInstallationEditedAfterSigning_refusesSignatureInvalid() throws Exception {
    ObjectNode req =
        request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-0000000000c2");
    req.put("installation_id", "999999999999:eu-west-1");
    ObjectNode doc =
        (ObjectNode) dev.cairn.core.json.Json.parse(signed(req, "key:alice", ALICE)).deepCopy();
    doc.put("installation_id", INSTALLATION);

    assertThat(
            refusal(
                verifierAt(NOW),
                dev.cairn.core.json.Json.compact(doc).getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OverrideFailure.OVERRIDE_SIGNATURE_INVALID);
  }

  @Test
  void verify_whenInstallationMissing_refusesMalformed() {
    ObjectNode req =
        request(OverrideAction.ROLLBACK, NOW, Duration.ofMinutes(5), "nonce-0000000000c3");
    req.remove("installation_id");

    assertThat(refusal(verifierAt(NOW), signed(req, "key:alice", ALICE)))
        .isEqualTo(OverrideFailure.OVERRIDE_MALFORMED);
  }
}
