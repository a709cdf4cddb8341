package dev.cairn.core.override;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.override.port.ApprovalStore;
import dev.cairn.core.override.port.OverrideNotifier;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.signature.port.ManifestSigner;
import dev.cairn.core.sweep.InMemoryLedger;
import dev.cairn.core.trust.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The override use case with a virtual clock, an in-memory ledger and in-memory ports. */
class OverrideUseCaseTest {

  static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
  static final String INSTALLATION = "111111111111:us-east-1";
  static final ArtifactKey KEY =
      new ArtifactKey("orders", "0123456789abcdef0123456789abcdef01234567");
  static final KeyPair CI = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final KeyPair ALICE = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final KeyPair BOB = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  static final TrustPolicy CI_POLICY =
      TrustPolicy.of(
          List.of(
              new TrustPolicy.SignerSpec(
                  "kms:alias/cdk-ci-artifact-signer",
                  SignatureAlgorithm.ECDSA_SHA_256,
                  PemKeys.toPem(CI.getPublic()))),
          List.of("2.1148.1"),
          List.of("refs/heads/main"));

  /** A clock the test moves. */
  static final class VirtualClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final VirtualClock clock = new VirtualClock();
  final InMemoryLedger ledger = new InMemoryLedger(clock);
  final MemoryAudit audit = new MemoryAudit();
  final Set<String> nonces = new HashSet<>();
  final Map<String, Map<String, byte[]>> approvals = new HashMap<>();
  static final String DIGEST = "b".repeat(64);
  final List<String> events = new ArrayList<>();
  final List<String> alerts = new ArrayList<>();
  final Map<String, ObjectNode> started = new LinkedHashMap<>();
  boolean breakGlass;
  String flagValue;
  final MemoryBreakGlassStore stored = new MemoryBreakGlassStore();
  int prodApprovals = 2;
  int n;

  OperatorTrust operators() {
    return OperatorTrust.parse(
        Json.compact(
                OperatorTrust.toJson(
                    List.of(
                        spec("ops-alice", ALICE),
                        spec("ops-alice-2", ALICE),
                        spec("ops-bob", BOB))))
            .getBytes(StandardCharsets.UTF_8),
        CI_POLICY);
  }

  ApprovalStore store() {
    return new ApprovalStore() {
      @Override
      public Set<String> record(ArtifactKey key, String environment, String fp, byte[] document) {
        approvals.computeIfAbsent(environment, e -> new HashMap<>()).put(fp, document);
        return Set.copyOf(approvals.get(environment).keySet());
      }

      @Override
      public Map<String, byte[]> approvals(ArtifactKey key, String environment) {
        return Map.copyOf(approvals.getOrDefault(environment, Map.of()));
      }
    };
  }

  OverrideUseCase useCase() {
    OperatorTrust operators = operators();
    EnvironmentChain chain =
        new EnvironmentChain(List.of(env("stage", 0), env("prod", prodApprovals)));
    return new OverrideUseCase(
        new OverrideServices(
            new OverrideVerifier(operators, INSTALLATION, clock),
            ledger,
            audit,
            new NoReleases(),
            CI_POLICY,
            chain,
            "cdk-artifacts-candidate",
            "cdk-artifacts-release",
            (nonce, until) -> nonces.add(nonce),
            store(),
            () ->
                BreakGlassFlagState.parse(
                    flagValue != null
                        ? flagValue
                        : breakGlass
                            ? BreakGlassFlagState.value(clock.instant().plus(Duration.ofHours(1)))
                            : BreakGlassFlagState.OFF,
                    clock.instant()),
            stored,
            new OverrideNotifier() {
              @Override
              public void event(String detailType, ObjectNode detail) {
                events.add(detailType + ":" + detail.path("outcome").asText());
              }

              @Override
              public void alert(String subject, String message) {
                alerts.add(subject);
              }
            },
            (name, input) -> {
              started.put(name, input);
              return "arn:" + name;
            },
            clock));
  }

  static TrustPolicy.SignerSpec spec(String id, KeyPair k) {
    return new TrustPolicy.SignerSpec(
        id, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(k.getPublic()));
  }

  static EnvironmentPolicy env(String name, int approvals) {
    String account = name.equals("stage") ? "111111111111" : "222222222222";
    return new EnvironmentPolicy(
        name,
        account,
        "us-east-1",
        "arn:aws:iam::" + account + ":role/d",
        "arn:aws:iam::" + account + ":role/c",
        "arn:aws:iam::" + account + ":role/r",
        false,
        null,
        0,
        List.of(),
        approvals,
        null);
  }

  @BeforeEach
  void record() {
    ArtifactRecord c =
        CandidateRecords.candidate(
            KEY,
            "b".repeat(64),
            "s3://cdk-artifacts-candidate/orders/x/",
            Instant.parse("2026-11-22T09:00:00Z"),
            "2.1148.1",
            "c".repeat(64),
            null,
            true,
            null,
            "us-east-1",
            List.of(
                new CandidateRecords.Environment("stage", "us-east-1"),
                new CandidateRecords.Environment("prod", "us-east-1")));
    ledger.create(c, new Actor(ActorRole.CI, "ci"));
  }

  void setEnv(ArtifactStatus status, String env, EnvironmentStatus s, TestStatus t) {
    ArtifactRecord r = ledger.find(KEY).orElseThrow();
    Map<String, EnvironmentState> states = new LinkedHashMap<>(r.environmentStates());
    states.put(env, EnvironmentState.initial(s, "us-east-1").withTestStatus(t));
    ledger.put(r.toBuilder().status(status).environmentStates(states).build());
  }

  byte[] request(String identity, KeyPair key, OverrideAction action, String env) {
    return request(identity, key, action, env, INSTALLATION);
  }

  byte[] request(
      String identity, KeyPair key, OverrideAction action, String env, String installation) {
    return request(
        identity, key, action, env, DIGEST, installation, clock.instant().plus(Duration.ofDays(1)));
  }

  /** An approval is bound to a digest, an installation and an expiry; other actions ignore them. */
  byte[] request(
      String identity,
      KeyPair key,
      OverrideAction action,
      String env,
      String digest,
      String installation,
      Instant approvalExpiresAt) {
    ObjectNode unsigned =
        OverrideRequests.create(
            action,
            KEY.service(),
            KEY.commitSha(),
            env,
            installation,
            "INC-7: because",
            identity + "@laptop",
            clock.instant(),
            OverrideRequests.MAX_LIFETIME,
            String.format("nonce-%012d", ++n));
    if (action == OverrideAction.APPROVE) {
      unsigned = OverrideRequests.bindApproval(unsigned, digest, installation, approvalExpiresAt);
    }
    ManifestSigner signer = new PemKeySigner(identity, key.getPrivate());
    return Json.compact(OverrideRequests.sign(unsigned, signer)).getBytes(StandardCharsets.UTF_8);
  }

  void assertRefusedUnchanged(byte[] doc, OverrideFailure failure) {
    ArtifactRecord before = ledger.find(KEY).orElseThrow();
    int entries = audit.entries.size();
    OverrideOutcome outcome = useCase().decide(doc);
    assertThat(outcome).isInstanceOf(OverrideOutcome.Refused.class);
    OverrideOutcome.Refused refused = (OverrideOutcome.Refused) outcome;
    assertThat(refused.failure()).isEqualTo(failure);
    JsonNode out = refused.answer();
    assertThat(out.path("outcome").asText()).isEqualTo("refused");
    assertThat(out.path("failure").asText()).isEqualTo(failure.name());
    assertThat(out.path("detail").asText()).isEqualTo(refused.detail()).isNotBlank();
    assertThat(ledger.find(KEY).orElseThrow()).isEqualTo(before);
    assertThat(audit.entries).hasSize(entries + 1);
    JsonNode last = audit.entries.get(entries);
    assertThat(last.path("action").asText()).isEqualTo("OverrideRequested");
    assertThat(last.at("/details/failure").asText()).isEqualTo(failure.name());
    assertThat(events.get(events.size() - 1)).isEqualTo("OverrideRequested:refused");
  }

  @Test
  void requeue_failedStage_movesToPendingAndStartsADeterministicExecution() {
    setEnv(ArtifactStatus.REJECTED, "stage", EnvironmentStatus.FAILED, TestStatus.TEST_FAILED);

    JsonNode out = useCase().submit(request("ops-alice", ALICE, OverrideAction.REQUEUE, "stage"));

    assertThat(out.path("outcome").asText()).isEqualTo("applied");
    ArtifactRecord r = ledger.find(KEY).orElseThrow();
    assertThat(r.status()).isEqualTo(ArtifactStatus.CANDIDATE);
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(r.environment("stage").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
    assertThat(r.overrideSignature()).isNotBlank();
    assertThat(r.manualOverrideRequested()).isNull();
    assertThat(started).hasSize(1);
    String name = started.keySet().iterator().next();
    assertThat(name)
        .matches("ovr-requeue-stage-0123456789ab-[0-9a-f]{12}")
        .hasSizeLessThanOrEqualTo(80);
    ObjectNode input = started.get(name);
    assertThat(input.path("trigger").asText()).isEqualTo("override");
    assertThat(input.path("bucket").asText()).isEqualTo("cdk-artifacts-candidate");
    assertThat(input.path("manifest_key").asText())
        .isEqualTo("orders/0123456789abcdef0123456789abcdef01234567/artifact-manifest.json");
    assertThat(ledger.actions()).endsWith("OverrideApplied");
    assertThat(audit.entries)
        .extracting(e -> e.at("/details/outcome").asText())
        .containsExactly("accepted");
    assertThat(events).containsExactly("OverrideRequested:accepted", "OverrideApplied:applied");
  }

  @Test
  void replay_isRefusedAndChangesNothing() {
    setEnv(ArtifactStatus.REJECTED, "stage", EnvironmentStatus.FAILED, TestStatus.TEST_FAILED);
    byte[] doc = request("ops-alice", ALICE, OverrideAction.REQUEUE, "stage");
    assertThat(useCase().decide(doc)).isInstanceOf(OverrideOutcome.Applied.class);
    clock.now = clock.now.plusSeconds(30);
    assertRefusedUnchanged(doc, OverrideFailure.OVERRIDE_REPLAYED);
    assertThat(started).hasSize(1);
  }

  @Test
  void expired_isRefusedOnTheVirtualClock() {
    setEnv(ArtifactStatus.REJECTED, "stage", EnvironmentStatus.FAILED, TestStatus.TEST_FAILED);
    byte[] doc = request("ops-alice", ALICE, OverrideAction.REQUEUE, "stage");
    clock.now = clock.now.plus(Duration.ofMinutes(15));
    assertRefusedUnchanged(doc, OverrideFailure.OVERRIDE_EXPIRED);
    assertThat(nonces).as("an expired request never reaches the nonce").isEmpty();
  }

  @Test
  void ciKey_andUnknownSigner_areRefusedWithUnverifiedActor() {
    assertRefusedUnchanged(
        request("kms:alias/cdk-ci-artifact-signer", CI, OverrideAction.REQUEUE, "stage"),
        OverrideFailure.OVERRIDE_CI_KEY_REFUSED);
    assertRefusedUnchanged(
        request("ops-mallory", BOB, OverrideAction.REQUEUE, "stage"),
        OverrideFailure.OVERRIDE_SIGNER_UNTRUSTED);
    assertThat(audit.entries)
        .allSatisfy(e -> assertThat(e.at("/actor/id").asText()).startsWith("unverified:"));
  }

  @Test
  void malformed_isRefusedAndRecorded() {
    assertRefusedUnchanged(
        "{\"action\":\"promote\"}".getBytes(StandardCharsets.UTF_8),
        OverrideFailure.OVERRIDE_MALFORMED);
  }

  @Test
  void breakGlass_flagOff_refusedAndAlerted_flagOn_setsTheDriftOverride() {
    setEnv(ArtifactStatus.CANDIDATE, "stage", EnvironmentStatus.FAILED, TestStatus.NOT_TESTED);
    assertRefusedUnchanged(
        request("ops-alice", ALICE, OverrideAction.BREAK_GLASS, "stage"),
        OverrideFailure.BREAK_GLASS_DISABLED);
    assertThat(alerts).hasSize(1);

    breakGlass = true;
    JsonNode out =
        useCase().submit(request("ops-alice", ALICE, OverrideAction.BREAK_GLASS, "stage"));

    assertThat(out.path("outcome").asText()).isEqualTo("applied");
    ArtifactRecord r = ledger.find(KEY).orElseThrow();
    assertThat(r.manualOverrideRequested()).isTrue();
    assertThat(r.overrideSignature()).isNotBlank();
    assertThat(r.promotionReason()).isEqualTo("INC-7: because");
    assertThat(alerts).hasSize(2);
  }

  @Test
  void breakGlass_accepted_storesTheSignedRequestBoundToTheExecutionItStarted() {
    setEnv(ArtifactStatus.CANDIDATE, "stage", EnvironmentStatus.FAILED, TestStatus.NOT_TESTED);
    breakGlass = true;
    byte[] doc = request("ops-alice", ALICE, OverrideAction.BREAK_GLASS, "stage");

    JsonNode out = useCase().submit(doc);

    StoredBreakGlass s = stored.find(KEY).orElseThrow();
    assertThat(s.document()).isEqualTo(new String(doc, StandardCharsets.UTF_8));
    assertThat(s.executionName())
        .isEqualTo(out.path("execution_name").asText())
        .startsWith("ovr-break-glass-stage-");
    assertThat(s.consumedBy()).isNull();
    assertThat(started).containsOnlyKeys(s.executionName());
  }

  @Test
  void breakGlass_legacyOrExpiredFlag_isRefusedAsDisabled_andNothingIsStored() {
    setEnv(ArtifactStatus.CANDIDATE, "stage", EnvironmentStatus.FAILED, TestStatus.NOT_TESTED);
    for (String flag :
        List.of(
            "true",
            "{\"enabled\":true}",
            BreakGlassFlagState.value(clock.instant().minusSeconds(1)),
            BreakGlassFlagState.value(clock.instant().plus(Duration.ofDays(2))))) {
      flagValue = flag;
      assertRefusedUnchanged(
          request("ops-alice", ALICE, OverrideAction.BREAK_GLASS, "stage"),
          OverrideFailure.BREAK_GLASS_DISABLED);
    }
    assertThat(stored.find(KEY)).isEmpty();
    assertThat(started).isEmpty();
  }

  @Test
  void request_forAnotherInstallation_isRefusedWrongInstallation() {
    setEnv(ArtifactStatus.CANDIDATE, "stage", EnvironmentStatus.FAILED, TestStatus.NOT_TESTED);
    assertRefusedUnchanged(
        request("ops-alice", ALICE, OverrideAction.REQUEUE, "stage", "999999999999:eu-west-1"),
        OverrideFailure.OVERRIDE_WRONG_INSTALLATION);
    assertThat(started).isEmpty();
  }

  @Test
  void approvals_countDistinctKeys_andTheKthStartsTheExecution() {
    setEnv(ArtifactStatus.PROMOTED, "prod", EnvironmentStatus.PENDING, TestStatus.NOT_TESTED);

    JsonNode a1 = useCase().submit(request("ops-alice", ALICE, OverrideAction.APPROVE, "prod"));
    JsonNode a2 = useCase().submit(request("ops-alice", ALICE, OverrideAction.APPROVE, "prod"));
    JsonNode a3 = useCase().submit(request("ops-alice-2", ALICE, OverrideAction.APPROVE, "prod"));
    assertThat(started).isEmpty();
    JsonNode b = useCase().submit(request("ops-bob", BOB, OverrideAction.APPROVE, "prod"));

    assertThat(List.of(a1, a2, a3))
        .allSatisfy(a -> assertThat(a.at("/approvals/distinct").asInt()).isEqualTo(1));
    assertThat(b.at("/approvals/distinct").asInt()).isEqualTo(2);
    assertThat(b.path("execution_name").asText()).startsWith("ovr-approve-prod-");
    assertThat(started).hasSize(1);
    assertThat(started.values().iterator().next().path("bucket").asText())
        .isEqualTo("cdk-artifacts-release");
  }

  @Test
  void approve_forAnotherDigest_isRefusedWithApprovalWrongArtifact() {
    setEnv(ArtifactStatus.PROMOTED, "prod", EnvironmentStatus.PENDING, TestStatus.NOT_TESTED);
    assertRefusedUnchanged(
        request(
            "ops-alice",
            ALICE,
            OverrideAction.APPROVE,
            "prod",
            "d".repeat(64),
            INSTALLATION,
            clock.instant().plus(Duration.ofDays(1))),
        OverrideFailure.APPROVAL_WRONG_ARTIFACT);
    assertThat(approvals).isEmpty();
  }

  @Test
  void approve_expiringAfterSevenDays_isRefusedWithApprovalExpiryTooLong() {
    setEnv(ArtifactStatus.PROMOTED, "prod", EnvironmentStatus.PENDING, TestStatus.NOT_TESTED);
    assertRefusedUnchanged(
        request(
            "ops-alice",
            ALICE,
            OverrideAction.APPROVE,
            "prod",
            DIGEST,
            INSTALLATION,
            clock.instant().plus(Duration.ofDays(8))),
        OverrideFailure.APPROVAL_EXPIRY_TOO_LONG);
  }

  @Test
  void approve_withoutBinding_isMalformed() {
    ObjectNode unsigned =
        OverrideRequests.create(
            OverrideAction.APPROVE,
            KEY.service(),
            KEY.commitSha(),
            "prod",
            INSTALLATION,
            "INC-7: because",
            "ops-alice@laptop",
            clock.instant(),
            OverrideRequests.MAX_LIFETIME,
            "nonce-unbound-0001");
    byte[] doc =
        Json.compact(
                OverrideRequests.sign(unsigned, new PemKeySigner("ops-alice", ALICE.getPrivate())))
            .getBytes(StandardCharsets.UTF_8);
    setEnv(ArtifactStatus.PROMOTED, "prod", EnvironmentStatus.PENDING, TestStatus.NOT_TESTED);
    assertRefusedUnchanged(doc, OverrideFailure.OVERRIDE_MALFORMED);
  }

  // --- counting where approvals are used (the lease) ------------------------------------------

  ApprovalCounter counter() {
    return new ApprovalCounter(store(), operators(), INSTALLATION, audit, clock);
  }

  @Test
  void count_ignoresAndAuditsApprovalsForAnotherDigestInstallationOrThatExpired() {
    setEnv(ArtifactStatus.PROMOTED, "prod", EnvironmentStatus.PENDING, TestStatus.NOT_TESTED);
    Instant tomorrow = clock.instant().plus(Duration.ofDays(1));
    Map<String, byte[]> stored = new HashMap<>();
    stored.put(
        "alice",
        request(
            "ops-alice", ALICE, OverrideAction.APPROVE, "prod", DIGEST, INSTALLATION, tomorrow));
    stored.put(
        "bob",
        request(
            "ops-bob",
            BOB,
            OverrideAction.APPROVE,
            "prod",
            DIGEST,
            "999999999999:eu-west-1",
            tomorrow));
    approvals.put("prod", stored);

    assertThat(counter().distinct(KEY, "prod", DIGEST)).isEqualTo(1);
    ApprovalCounter.Count other = counter().count(KEY, "prod", "e".repeat(64));
    assertThat(other.approvers()).isEmpty();
    assertThat(other.ignored())
        .extracting(ApprovalCounter.Ignored::failure)
        .containsOnly(OverrideFailure.APPROVAL_WRONG_ARTIFACT);
    JsonNode last = audit.entries.get(audit.entries.size() - 1);
    assertThat(last.path("action").asText()).isEqualTo("ApprovalsIgnored");
    assertThat(last.at("/details/approvals_ignored").asText())
        .isEqualTo("bob=APPROVAL_WRONG_INSTALLATION");

    clock.now = tomorrow;
    assertThat(counter().count(KEY, "prod", DIGEST).ignored())
        .extracting(ApprovalCounter.Ignored::failure)
        .containsExactlyInAnyOrder(
            OverrideFailure.APPROVAL_EXPIRED, OverrideFailure.APPROVAL_WRONG_INSTALLATION);
  }

  @Test
  void count_ignoresAStoredApprovalWhoseSignatureNoLongerVerifies() {
    byte[] doc =
        request(
            "ops-alice",
            ALICE,
            OverrideAction.APPROVE,
            "prod",
            DIGEST,
            INSTALLATION,
            clock.instant().plus(Duration.ofDays(1)));
    String tampered = new String(doc, StandardCharsets.UTF_8).replace("\"prod\"", "\"stage\"");
    approvals.put("stage", Map.of("alice", tampered.getBytes(StandardCharsets.UTF_8)));

    ApprovalCounter.Count c = counter().count(KEY, "stage", DIGEST);

    assertThat(c.approvers()).isEmpty();
    assertThat(c.ignored().get(0).failure()).isEqualTo(OverrideFailure.OVERRIDE_SIGNATURE_INVALID);
  }

  @Test
  void count_quietCounterAddsNoAuditEntry() {
    approvals.put(
        "prod",
        Map.of(
            "alice",
            request(
                "ops-alice",
                ALICE,
                OverrideAction.APPROVE,
                "prod",
                "d".repeat(64),
                INSTALLATION,
                clock.instant().plus(Duration.ofDays(1)))));
    int entries = audit.entries.size();

    assertThat(counter().quiet().distinct(KEY, "prod", DIGEST)).isZero();
    assertThat(audit.entries).hasSize(entries);
  }

  @Test
  void approve_whereNoneRequired_isAPreconditionFailure() {
    assertRefusedUnchanged(
        request("ops-alice", ALICE, OverrideAction.APPROVE, "stage"),
        OverrideFailure.OVERRIDE_PRECONDITION_FAILED);
  }

  @Test
  void rollback_withoutReleaseArtifact_isAPreconditionFailure_andBurnsTheNonce() {
    setEnv(ArtifactStatus.PROMOTED, "prod", EnvironmentStatus.DEPLOYED, TestStatus.TEST_PASSED);
    byte[] doc = request("ops-alice", ALICE, OverrideAction.ROLLBACK, "prod");
    assertRefusedUnchanged(doc, OverrideFailure.OVERRIDE_PRECONDITION_FAILED);
    assertThat(audit.entries.get(0).at("/details/failure_detail").asText())
        .contains("no release artifact");
    assertRefusedUnchanged(doc, OverrideFailure.OVERRIDE_REPLAYED);
  }

  @Test
  void unknownEnvironment_isAPreconditionFailure() {
    assertRefusedUnchanged(
        request("ops-alice", ALICE, OverrideAction.PROMOTE, "qa"),
        OverrideFailure.OVERRIDE_PRECONDITION_FAILED);
  }

  /** The release bucket holds nothing. */
  static final class NoReleases implements ArtifactStore {
    @Override
    public ArtifactSource source(String bucket, String service, String commitSha) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<byte[]> readManifest(
        String bucket, String service, String commitSha, int maxBytes) {
      return Optional.empty();
    }

    @Override
    public String putEvidence(
        String bucket, String service, String commitSha, String name, byte[] json) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ArtifactSource source(
        dev.cairn.core.pipeline.ArtifactEvidence evidence, String service, String commitSha) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<StoredObject> readManifestObject(
        String bucket, String service, String commitSha, int maxBytes) {
      return Optional.empty();
    }

    @Override
    public void releaseArtifact(
        dev.cairn.core.pipeline.ArtifactEvidence evidence,
        String toBucket,
        String service,
        String commitSha) {
      throw new UnsupportedOperationException();
    }
  }

  /** The audit port in memory, sealed by the production {@link AuditChain}. */
  static final class MemoryAudit implements AuditLog {
    final List<ObjectNode> entries = new ArrayList<>();
    AuditHead head = AuditHead.empty("cairn");

    @Override
    public String chainId() {
      return "cairn";
    }

    @Override
    public AuditHead head() {
      return head;
    }

    @Override
    public Iterator<ObjectNode> entries() {
      return List.copyOf(entries).iterator();
    }

    @Override
    public ObjectNode append(AuditEvent event) {
      ObjectNode e = AuditChain.seal(event, head);
      entries.add(e);
      head = AuditChain.headAfter(e);
      return e;
    }
  }
}
