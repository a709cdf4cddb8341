package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.BreakGlassFlagState;
import dev.cairn.core.override.OverrideAction;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Trust roots: break-glass, revoked keys and the override audience. Each scenario is an attack (or
 * an operator's misuse) that must end refused with its stable code and an audit entry, prod as it
 * was.
 */
final class BreakGlassAttacks {

  private BreakGlassAttacks() {}

  /**
   * The record claims a break_glass: CI (or anyone with table access) writes {@code
   * manual_override_requested=true} and a junk {@code override_signature}, then prod has drifted
   * when the commit reaches it. The drift gate finds no stored signed request and refuses.
   */
  static void forgedBreakGlass(ScenarioContext c) throws Exception {
    TrustScenarios.Trust t = new TrustScenarios.Trust(c);
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    t.driftProd();
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    Attack a = c.attack("CI forges a break_glass on the record to deploy over prod's drift");
    Attacker ci = a.ci();
    ArtifactKey key = new ArtifactKey(c.world().service, COMMIT_B);
    c.note("CI tries to store a break_glass request where the drift gate looks for one");
    ci.denied(
        () ->
            ci.dynamoDb()
                .putItem(
                    r ->
                        r.tableName(SandboxWorld.IDEMPOTENCY_TABLE)
                            .item(
                                Map.of(
                                    "id",
                                        AttributeValue.fromS(
                                            "break-glass#" + key.service() + "#" + key.commitSha()),
                                    "document", AttributeValue.fromS("{}"),
                                    "nonce", AttributeValue.fromS("forged-nonce-0000"),
                                    "execution_name", AttributeValue.fromS("any")))));
    c.note("CI writes manual_override_requested=true with a junk override_signature on the record");
    try {
      forgeRecord(ci.dynamoDb(), key);
      c.note("IAM allowed CI's PutItem on the record: the drift gate must not believe it");
    } catch (AwsServiceException e) {
      if (e.statusCode() != 403) {
        throw e;
      }
      c.note("IAM denied CI's write; an insider with table access forges the record instead");
      forgeRecord(w.dynamoDb, key);
    }
    // The sweeper reads the forged record too, on its schedule, and refuses it the same way.
    w.onScheduledFailure =
        (module, e) -> {
          if (!(e instanceof dev.cairn.core.ledger.RecordUnauthenticatedException)) {
            throw e;
          }
          c.note("the scheduled " + module + " refuses the record: " + e.getMessage());
        };
    c.candidateUploaded(COMMIT_B);
    w.onScheduledFailure =
        (module, e) -> {
          throw e;
        };
    c.note(
        "the pipeline reads the record: its item_mac does not verify, so no step acts on it;"
            + " the refusal is audited and alerted");
    a.refused(
        "RECORD_UNAUTHENTICATED",
        "the ledger adapter's record MAC check: a record the control plane did not write is"
            + " refused before any decision (and at the drift gate only a stored, signed"
            + " break_glass request authorizes drift, never the record's"
            + " manual_override_requested)");
  }

  /** Rewrites the record with a break_glass claim (the attacker's GetItem and PutItem). */
  private static void forgeRecord(DynamoDbClient dynamoDb, ArtifactKey key) {
    Map<String, AttributeValue> k =
        Map.of(
            "service", AttributeValue.fromS(key.service()),
            "commit_sha", AttributeValue.fromS(key.commitSha()));
    Map<String, AttributeValue> item =
        new HashMap<>(
            dynamoDb.getItem(r -> r.tableName(SandboxWorld.METADATA_TABLE).key(k)).item());
    item.put("manual_override_requested", AttributeValue.fromBool(true));
    item.put("override_signature", AttributeValue.fromS("MEUCIQDforgedforgedforged="));
    dynamoDb.putItem(r -> r.tableName(SandboxWorld.METADATA_TABLE).item(item));
  }

  /**
   * A break_glass signed for stage reaches prod's drift gate (refused BREAK_GLASS_MISMATCH); then a
   * prod break_glass, used once to deploy over drift, is used by a second execution (refused
   * BREAK_GLASS_REUSED).
   */
  static void breakGlassReusedInProd(ScenarioContext c) throws Exception {
    TrustScenarios.Trust t = new TrustScenarios.Trust(c);
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    t.driftProd();
    t.setFlag(
        BreakGlassFlagState.value(w.clock.instant().plus(Duration.ofHours(2))),
        "break_glass_expires_at");
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    c.note("ops-alice signs a break_glass for stage; stage deploys, promotes, prod starts");
    t.applied(
        t.sign(
            "ops-alice",
            OverrideAction.BREAK_GLASS,
            COMMIT_B,
            "stage",
            "INC-50: stage is wedged; redeploy it"));
    t.drain();
    t.requireProd(COMMIT_B, "failed");
    requireAudit(w, OverrideFailure.BREAK_GLASS_MISMATCH.name());
    c.note("prod's drift gate refused the stage request: BREAK_GLASS_MISMATCH, prod still runs A");
    c.note("ops-alice signs a break_glass for prod; it deploys B over the drift and is consumed");
    t.applied(
        t.sign(
            "ops-alice",
            OverrideAction.BREAK_GLASS,
            COMMIT_B,
            "prod",
            "INC-51: the drift is the hotfix; deploy over it"));
    t.drain();
    t.requireProd(COMMIT_B, "deployed");
    t.driftProd();
    w.clock.advance(Duration.ofMinutes(3));
    Attack a = c.attack("the consumed prod break_glass is used again by a second prod execution");
    c.note("ops-alice requeues B in prod (no new break_glass): prod has drifted again");
    t.applied(
        t.sign(
            "ops-alice",
            OverrideAction.REQUEUE,
            COMMIT_B,
            "prod",
            "INC-51: redeploy prod once more"));
    t.drain();
    t.requireProd(COMMIT_B, "failed");
    a.refused(
        OverrideFailure.BREAK_GLASS_REUSED.name(),
        "the deployer's drift gate: a stored break_glass is consumed by a conditional write for"
            + " the one execution it started, and never authorizes another");
  }

  /**
   * CI's signer key is revoked by a redeploy of the trust configuration parameter (no function is
   * re-initialized); a manifest signed with it after the TTL is refused by the manifest verifier.
   */
  static void revokedSignerKey(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    TrustScenarios.Trust t = new TrustScenarios.Trust(c);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    t.requireProd(COMMIT_A, "deployed");
    String rotated = "kms:alias/cdk-ci-artifact-signer-rotated";
    c.note(
        "CI's signing key leaks; the trust configuration is redeployed: "
            + SandboxWorld.SIGNER
            + " is revoked, "
            + rotated
            + " trusted instead (only the parameter changes)");
    long head = w.auditLog.head().sequence();
    w.updateConfigParameter(
        config -> {
          ArrayNode keys = config.putArray("trusted_signer_keys");
          keys.addObject()
              .put("key_id", rotated)
              .put("algorithm", SignatureAlgorithm.ECDSA_SHA_256.name())
              .put(
                  "public_key",
                  PemKeys.toPem(PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256).getPublic()));
        });
    w.drain();
    JsonNode change = t.lastEntry();
    if (w.auditLog.head().sequence() != head + 1
        || !"TrustRootChanged".equals(change.path("action").asText())
        || !rotated.equals(change.path("details").path("trusted_signer_keys").asText())) {
      throw new IllegalStateException("the config change was not audited as expected: " + change);
    }
    c.note(
        "the change was audited (TrustRootChanged, trusted_signer_keys="
            + rotated
            + ") and alerted");
    Duration ttl =
        Duration.ofSeconds(
            Long.parseLong(
                w.functions
                    .get("manifest-verifier")
                    .spec()
                    .environment()
                    .get("TRUST_CONFIG_TTL_SECONDS")));
    w.clock.advance(ttl);
    Attack a = c.attack("CI publishes a manifest signed with its revoked key");
    ArtifactKey key =
        w.uploadUnregistered(
            c.example(), COMMIT_B, PipelineScenarios::secondRelease, w.fetchContext());
    JsonNode answer = w.register(w.ci.lambda(), key);
    c.candidateUploaded(COMMIT_B);
    t.requireProd(COMMIT_A, "deployed");
    if (!"refused".equals(answer.path("outcome").asText())
        || !answer.path("detail").asText().contains(FailureCode.SIGNER_UNTRUSTED.name())
        || w.ledger.find(key).isPresent()) {
      throw new IllegalStateException(
          "the registrar recorded a revoked signer's manifest: " + answer);
    }
    c.note(
        "the registrar refused it: "
            + answer.path("failure").asText()
            + " — "
            + answer.path("detail").asText());
    a.refused(
        FailureCode.SIGNER_UNTRUSTED.name(),
        "the registrar (and after it the manifest verifier) re-reads the trust configuration"
            + " after its "
            + ttl.toSeconds()
            + " s TTL (never frozen in the SnapStart snapshot): the revoked key is no longer a"
            + " trusted signer, so no record is made and the upload is refused when it is"
            + " verified");
  }

  /** An operator's request signed for another installation is submitted here. */
  static void overrideForOtherInstallation(ScenarioContext c) throws Exception {
    TrustScenarios.Trust t = new TrustScenarios.Trust(c);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    c.candidateUploaded(COMMIT_B);
    String other = "999999999999:eu-west-1";
    Attack a =
        c.attack(
            "a rollback ops-alice signed for installation "
                + other
                + " (which trusts the same key) is replayed against "
                + t.installation);
    ObjectNode request =
        t.signWith(
            t.keys.get("ops-alice"),
            "ops-alice",
            OverrideAction.ROLLBACK,
            COMMIT_A,
            "prod",
            other,
            "INC-60: roll the other installation back");
    t.refused(request, OverrideFailure.OVERRIDE_WRONG_INSTALLATION);
    t.requireProd(COMMIT_B, "deployed");
    a.refused(
        OverrideFailure.OVERRIDE_WRONG_INSTALLATION.name(),
        "the override Lambda: the signed installation_id must be this installation's");
  }

  private static void requireAudit(SandboxWorld w, String code) {
    for (Iterator<ObjectNode> it = w.auditLog.entries(); it.hasNext(); ) {
      if (it.next().toString().contains(code)) {
        return;
      }
    }
    throw new IllegalStateException("no audit entry records " + code);
  }
}
