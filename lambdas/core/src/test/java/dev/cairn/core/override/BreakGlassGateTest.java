package dev.cairn.core.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.port.BreakGlassStore;
import dev.cairn.core.pipeline.DriftDetected;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drift gate's break_glass: one test per way a stored request can fail to authorize. */
class BreakGlassGateTest {

  static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  static final String INSTALLATION = "111111111111:us-east-1";
  static final ArtifactKey KEY =
      new ArtifactKey("orders", "0123456789abcdef0123456789abcdef01234567");
  static final KeyPair ALICE = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final KeyPair MALLORY = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final String EXECUTION_NAME = "ovr-break-glass-prod-0123456789ab-aaaaaaaaaaaa";
  static final String EXECUTION =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:" + EXECUTION_NAME;

  final MemoryBreakGlassStore store = new MemoryBreakGlassStore();
  final List<String> alerts = new ArrayList<>();
  Instant now = T0;
  boolean aliceRevoked;
  String flag = BreakGlassFlagState.value(T0.plus(Duration.ofHours(1)));

  BreakGlassGate gate() {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    return new BreakGlassGate(
        store,
        () -> BreakGlassFlagState.parse(flag, now),
        () -> new OverrideVerifier(operators(aliceRevoked), INSTALLATION, clock),
        (subject, message) -> alerts.add(subject),
        clock);
  }

  static OperatorTrust operators(boolean aliceRevoked) {
    KeyPair ci = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    List<TrustPolicy.SignerSpec> ops = new ArrayList<>();
    ops.add(spec("ops-bob", PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256)));
    if (!aliceRevoked) {
      ops.add(spec("ops-alice", ALICE));
    }
    return OperatorTrust.parse(
        Json.compact(OperatorTrust.toJson(ops)).getBytes(StandardCharsets.UTF_8),
        TrustPolicy.of(List.of(spec("ci", ci)), List.of("2.1148.1"), List.of("refs/heads/main")));
  }

  static TrustPolicy.SignerSpec spec(String id, KeyPair k) {
    return new TrustPolicy.SignerSpec(
        id, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(k.getPublic()));
  }

  static ObjectNode unsigned(String env, String nonce) {
    return OverrideRequests.create(
        OverrideAction.BREAK_GLASS,
        KEY.service(),
        KEY.commitSha(),
        env,
        INSTALLATION,
        "INC-43: the drift is the hotfix",
        "alice@laptop",
        T0,
        OverrideRequests.MAX_LIFETIME,
        nonce);
  }

  static String signed(ObjectNode unsigned, KeyPair key) {
    return Json.compact(
        OverrideRequests.sign(unsigned, new PemKeySigner("ops-alice", key.getPrivate())));
  }

  void storeFor(String env, String executionName) {
    store.store(
        new StoredBreakGlass(
            KEY,
            signed(unsigned(env, "nonce-000000000001"), ALICE),
            "nonce-000000000001",
            executionName,
            null));
  }

  String refusal(String env, String execution, boolean recordClaims) {
    try {
      gate().authorize(KEY, env, execution, recordClaims, "orders-data (1 resource(s))");
    } catch (DriftDetected e) {
      return e.getMessage().substring(0, e.getMessage().indexOf(':'));
    }
    throw new AssertionError("expected a refusal");
  }

  @Test
  void authorize_storedSignedRequestForThisExecution_isAcceptedConsumedAndAlerted() {
    storeFor("prod", EXECUTION_NAME);

    assertThat(gate().authorize(KEY, "prod", EXECUTION, true, "drift"))
        .contains("nonce-000000000001");

    assertThat(store.find(KEY).orElseThrow().consumedBy()).isEqualTo(EXECUTION);
    assertThat(alerts).singleElement().asString().contains("break_glass used");
  }

  @Test
  void authorize_sameExecutionRetried_isAcceptedAgain() {
    storeFor("prod", EXECUTION_NAME);
    gate().authorize(KEY, "prod", EXECUTION, false, "drift");

    assertThat(gate().authorize(KEY, "prod", EXECUTION, false, "drift")).isPresent();
  }

  @Test
  void authorize_nothingStoredAndNothingClaimed_isEmpty_soPlainDriftAborts() {
    assertThat(gate().authorize(KEY, "prod", EXECUTION, false, "drift")).isEmpty();
    assertThat(alerts).isEmpty();
  }

  @Test
  void authorize_recordClaimsOverrideWithNothingStored_refusesForged() {
    assertThat(refusal("prod", EXECUTION, true)).isEqualTo("BREAK_GLASS_FORGED");
    assertThat(alerts).singleElement().asString().contains("BREAK_GLASS_FORGED");
  }

  @Test
  void authorize_storedRequestWithJunkSignature_refusesForged() {
    ObjectNode doc = (ObjectNode) Json.mapper().valueToTree(unsigned("prod", "nonce-000000000001"));
    doc.put("signing_identity", "ops-alice");
    doc.put("signature", "AAAA");
    store.store(
        new StoredBreakGlass(KEY, Json.compact(doc), "nonce-000000000001", EXECUTION_NAME, null));

    assertThat(refusal("prod", EXECUTION, true)).isEqualTo("BREAK_GLASS_FORGED");
    assertThat(store.find(KEY).orElseThrow().consumedBy()).isNull();
  }

  @Test
  void authorize_signedByAKeyNotTrusted_refusesForged() {
    store.store(
        new StoredBreakGlass(
            KEY,
            signed(unsigned("prod", "nonce-000000000001"), MALLORY),
            "nonce-000000000001",
            EXECUTION_NAME,
            null));

    assertThat(refusal("prod", EXECUTION, false)).isEqualTo("BREAK_GLASS_FORGED");
  }

  @Test
  void authorize_operatorKeyRevokedSinceTheRequestWasAccepted_refusesForged() {
    storeFor("prod", EXECUTION_NAME);
    aliceRevoked = true;

    assertThat(refusal("prod", EXECUTION, false)).isEqualTo("BREAK_GLASS_FORGED");
  }

  @Test
  void authorize_flagClosedAfterTheRequestWasAccepted_refusesDisabled_andDoesNotConsume() {
    storeFor("prod", EXECUTION_NAME);
    flag = BreakGlassFlagState.OFF;

    assertThat(refusal("prod", EXECUTION, false)).isEqualTo("BREAK_GLASS_DISABLED");
    assertThat(store.find(KEY).orElseThrow().consumedBy()).isNull();
  }

  @Test
  void authorize_requestForStagePresentedInProd_refusesMismatch() {
    storeFor("stage", EXECUTION_NAME);

    assertThat(refusal("prod", EXECUTION, false)).isEqualTo("BREAK_GLASS_MISMATCH");
  }

  @Test
  void authorize_anotherExecution_refusesMismatch() {
    storeFor("prod", EXECUTION_NAME);

    assertThat(refusal("prod", EXECUTION + "-sweeper", false)).isEqualTo("BREAK_GLASS_MISMATCH");
  }

  @Test
  void authorize_afterTheRequestExpired_refusesExpired() {
    storeFor("prod", EXECUTION_NAME);
    now = T0.plus(OverrideRequests.MAX_LIFETIME);

    assertThat(refusal("prod", EXECUTION, false)).isEqualTo("BREAK_GLASS_EXPIRED");
  }

  @Test
  void authorize_consumedByAnotherExecution_refusesReused() {
    storeFor("prod", EXECUTION_NAME);
    gate().authorize(KEY, "prod", EXECUTION, false, "drift");
    now = T0.plus(Duration.ofMinutes(2));

    assertThat(refusal("prod", "arn:aws:states:::execution:DeployArtifactPipeline:sweep-1", false))
        .isEqualTo("BREAK_GLASS_REUSED");
  }

  @Test
  void authorize_consumedAndSinceExpired_isReportedAsReused() {
    storeFor("prod", EXECUTION_NAME);
    gate().authorize(KEY, "prod", EXECUTION, false, "drift");
    now = T0.plus(Duration.ofHours(1));

    assertThat(refusal("prod", "arn:aws:states:::execution:DeployArtifactPipeline:ovr-2", false))
        .isEqualTo("BREAK_GLASS_REUSED");
  }

  @Test
  void authorize_consumeLostTheRace_refusesReused() {
    storeFor("prod", EXECUTION_NAME);
    BreakGlassStore racing =
        new BreakGlassStore() {
          @Override
          public void store(StoredBreakGlass request) {}

          @Override
          public java.util.Optional<StoredBreakGlass> find(ArtifactKey key) {
            return store.find(key);
          }

          @Override
          public boolean consume(ArtifactKey key, String nonce, String executionId, Instant at) {
            return false;
          }
        };
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    BreakGlassGate gate =
        new BreakGlassGate(
            racing,
            () -> BreakGlassFlagState.parse(flag, now),
            () -> new OverrideVerifier(operators(false), INSTALLATION, clock),
            (s, m) -> alerts.add(s),
            clock);

    assertThatThrownBy(() -> gate.authorize(KEY, "prod", EXECUTION, false, "drift"))
        .isInstanceOf(DriftDetected.class)
        .hasMessageStartingWith("BREAK_GLASS_REUSED: ");
  }
}
