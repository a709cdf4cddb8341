package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * One end-to-end test per trust scenario (signed overrides, approvals, anchoring). The scripts
 * themselves check, at each refusal, that the ledger is unchanged apart from the refusal's audit
 * entry; these tests check the outcome from outside: the summary, the records, the events, the
 * audit chain and the anchors.
 */
class TrustScenariosTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  static ObjectNode run(Scenario s) throws Exception {
    return SandboxRun.run(new SandboxRun.Options(REPO, s, System.out));
  }

  static ObjectNode run(Scenario s, Consumer<SandboxWorld> inspect) throws Exception {
    return SandboxRun.run(new SandboxRun.Options(REPO, s, System.out), inspect);
  }

  static JsonNode artifact(ObjectNode summary, String commit) {
    for (JsonNode a : summary.get("artifacts")) {
      if (a.path("commit_sha").asText().equals(commit)) {
        return a;
      }
    }
    throw new AssertionError("no artifact " + commit);
  }

  static List<JsonNode> overrideEntries(SandboxWorld w) {
    List<JsonNode> out = new ArrayList<>();
    w.auditLog
        .entries()
        .forEachRemaining(
            e -> {
              if (e.path("action").asText().startsWith("Override")) {
                out.add(e);
              }
            });
    return out;
  }

  @Test
  void overrideRollback_redeploysTheFirstReleaseToProd() throws Exception {
    Map<String, String> deployed = new TreeMap<>();
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r =
        run(
            Scenario.OVERRIDE_ROLLBACK,
            w -> {
              var prod = w.cloudFormation.forAccount(SandboxWorld.PROD_ACCOUNT);
              for (String stack : new String[] {"hello-prod-data", "hello-prod-api"}) {
                deployed.put(stack, prod.deployedTemplate(stack).orElseThrow());
              }
              audit.set(overrideEntries(w));
            });

    // Prod runs exactly commit A's templates again.
    for (var e : deployed.entrySet()) {
      JsonNode good =
          Json.parse(
              Files.readAllBytes(
                  REPO.resolve("examples/hello-service/cdk.out/" + e.getKey() + ".template.json")));
      assertThat(Json.parse(e.getValue())).as(e.getKey()).isEqualTo(good);
    }
    JsonNode a = artifact(r, COMMIT_A);
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(a.path("rollback_reason").asText()).startsWith("INC-42");
    assertThat(a.path("override_signature").asText()).isNotBlank();
    assertThat(a.has("manual_override_requested"))
        .isFalse(); // only break_glass opens the drift gate
    assertThat(r.get("events").toString()).contains("OverrideRequested", "OverrideApplied");
    JsonNode last = r.get("executions").get(r.get("executions").size() - 1);
    assertThat(last.path("environment").asText()).isEqualTo("prod");
    assertThat(last.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(audit.get())
        .extracting(e -> e.path("action").asText())
        .containsExactly("OverrideRequested", "OverrideApplied");
    assertThat(audit.get().get(1).path("actor").path("role").asText()).isEqualTo("operator");
    assertThat(audit.get().get(1).path("signature").asText()).isNotBlank();
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void overrideReplay_isRefusedWithTheLedgerUnchanged() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.OVERRIDE_REPLAY, w -> audit.set(overrideEntries(w)));

    JsonNode refusal = audit.get().get(audit.get().size() - 1);
    assertThat(refusal.path("action").asText()).isEqualTo("OverrideRequested");
    assertThat(refusal.at("/details/outcome").asText()).isEqualTo("refused");
    assertThat(refusal.at("/details/failure").asText()).isEqualTo("OVERRIDE_REPLAYED");
    // One rollback execution only.
    long overrideRuns =
        java.util.stream.StreamSupport.stream(r.get("executions").spliterator(), false)
            .filter(e -> e.path("environment").asText().equals("prod"))
            .count();
    assertThat(overrideRuns).isEqualTo(3); // A, B, then the one signed rollback
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void overrideExpired_isRefused() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.OVERRIDE_EXPIRED, w -> audit.set(overrideEntries(w)));

    assertThat(audit.get()).hasSize(1);
    assertThat(audit.get().get(0).at("/details/failure").asText()).isEqualTo("OVERRIDE_EXPIRED");
    assertThat(artifact(r, COMMIT_A).at("/environment_states/stage/status").asText())
        .isEqualTo("deployed");
    assertThat(r.get("events").toString())
        .contains("OverrideRequested")
        .doesNotContain("OverrideApplied");
  }

  @Test
  void overrideUntrustedKey_unknownCiAndWrongKeysAreAllRefused() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.OVERRIDE_UNTRUSTED_KEY, w -> audit.set(overrideEntries(w)));

    assertThat(audit.get())
        .extracting(e -> e.at("/details/failure").asText())
        .containsExactly(
            "OVERRIDE_SIGNER_UNTRUSTED", "OVERRIDE_CI_KEY_REFUSED", "OVERRIDE_SIGNATURE_INVALID");
    assertThat(audit.get())
        .allSatisfy(e -> assertThat(e.at("/actor/id").asText()).startsWith("unverified:"));
    assertThat(r.get("events").toString()).doesNotContain("OverrideApplied");
    assertThat(artifact(r, COMMIT_A).at("/environment_states/prod/status").asText())
        .isEqualTo("deployed");
  }

  @Test
  void breakGlassWithoutFlag_isRefusedAndAlerts() throws Exception {
    AtomicReference<List<String>> alerts = new AtomicReference<>();
    ObjectNode r =
        run(
            Scenario.BREAK_GLASS_WITHOUT_FLAG,
            w ->
                alerts.set(
                    w.sns.published().stream()
                        .filter(p -> p.topicArn().equals(w.alertTopicArn()))
                        .map(p -> p.subject() + "\n" + p.message())
                        .toList()));

    assertThat(alerts.get()).hasSize(6);
    assertThat(alerts.get().get(0)).contains("break_glass", "BREAK_GLASS_DISABLED");
    assertThat(alerts.get().get(1))
        .contains("trust root changed: /cairn/break-glass", "retired value");
    assertThat(alerts.get().get(2)).contains("break_glass", "BREAK_GLASS_DISABLED");
    assertThat(alerts.get().get(3)).contains("trust root changed", "break-glass OPENED until");
    assertThat(alerts.get().get(4)).contains("break_glass", "applied");
    assertThat(alerts.get().get(5)).contains("break_glass used", "over drift");
    // Only the request made while the flag was on changed the record.
    JsonNode b = artifact(r, COMMIT_B);
    assertThat(b.path("manual_override_requested").asBoolean()).isTrue();
    assertThat(b.path("override_signature").asText()).isNotBlank();
    assertThat(b.path("promotion_reason").asText()).startsWith("INC-43");
    assertThat(b.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(r.get("events").toString()).contains("OverrideApplied");
  }

  @Test
  void twoPersonApproval_prodWaitsForTwoDistinctKeys() throws Exception {
    ObjectNode r = run(Scenario.TWO_PERSON_APPROVAL);

    JsonNode a = artifact(r, COMMIT_A);
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    JsonNode executions = r.get("executions");
    // stage, prod awaiting approvals (APPROVALS_PENDING, nothing written), prod after 2 keys
    assertThat(executions).hasSize(3);
    assertThat(executions.get(1).path("states_visited").toString())
        .contains("AwaitingApprovals")
        .doesNotContain("CreateChangeSets");
    assertThat(executions.get(2).path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(r.get("events").toString()).contains("OverrideApplied", "ArtifactDeployed");
  }

  @Test
  void auditTamper_verifyFailsNamingTheSequenceAndTheAnchor() throws Exception {
    AtomicReference<AnchorCheck.Result> check = new AtomicReference<>();
    AtomicReference<List<ObjectNode>> stored = new AtomicReference<>();
    ObjectNode r =
        run(
            Scenario.AUDIT_TAMPER,
            w -> {
              List<ObjectNode> anchors =
                  new S3AnchorStore(w.s3, SandboxWorld.ANCHORS, null)
                      .all(AuditChain.DEFAULT_CHAIN_ID);
              // Links and anchors, as `cairn audit verify` checks them without the MAC key.
              dev.cairn.aws.audit.DynamoDbAuditLog links =
                  dev.cairn.aws.audit.DynamoDbAuditLog.withoutMacCheck(
                      w.dynamoDb, SandboxWorld.AUDIT_TABLE, AuditChain.DEFAULT_CHAIN_ID);
              List<ObjectNode> entries = new ArrayList<>();
              links.entries().forEachRemaining(entries::add);
              Map<Long, String> hashes = new TreeMap<>();
              entries.forEach(
                  e -> hashes.put(e.path("sequence").asLong(), e.path("log_hash").asText()));
              stored.set(entries);
              check.set(
                  AnchorCheck.check(
                      AuditChain.DEFAULT_CHAIN_ID,
                      hashes,
                      AuditChainVerifier.verify(entries.iterator(), links.head()),
                      anchors));
            });

    assertThat(r.at("/audit/verified").asBoolean()).isFalse();
    // With the key, the edited entry is refused outright: its MAC no longer verifies.
    assertThat(r.at("/audit/macs_verified").asBoolean()).isFalse();
    assertThat(r.at("/audit/unauthenticated").asText())
        .isEqualTo("cairn:1 AUDIT_ENTRY_UNAUTHENTICATED (MAC_MISMATCH)");
    assertThat(r.at("/audit/first_bad_sequence").asLong()).isEqualTo(1);
    assertThat(check.get().valid()).isFalse();
    AnchorCheck.Disagreement d = check.get().disagreements().get(0);
    assertThat(d.entrySequence()).isEqualTo(1);
    assertThat(d.anchorKey()).matches("audit-log-anchors/cairn/\\d{20}\\.json");
    assertThat(d.reason()).isEqualTo(AnchorCheck.Reason.ANCHORED_ENTRY_ALTERED);
    // The summary reports the stored chain (not the verifier's count up to the bad entry), the
    // chain's code and the anchor that disagrees, as `cairn audit verify` does.
    JsonNode last = stored.get().get(stored.get().size() - 1);
    assertThat(r.at("/audit/entries").asInt()).isEqualTo(stored.get().size()).isGreaterThan(1);
    assertThat(r.at("/audit/head_hash").asText()).isEqualTo(last.path("log_hash").asText());
    assertThat(r.at("/audit/head_sequence").asLong()).isEqualTo(last.path("sequence").asLong());
    assertThat(r.at("/audit/code").asText()).isEqualTo("HASH_MISMATCH");
    assertThat(r.at("/audit/anchor/key").asText()).isEqualTo(d.anchorKey());
    assertThat(r.at("/audit/anchor/code").asText()).isEqualTo("ANCHORED_ENTRY_ALTERED");
  }
}
