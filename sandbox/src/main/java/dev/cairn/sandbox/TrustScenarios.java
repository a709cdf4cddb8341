package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.aws.idempotency.DynamoDbApprovalStore;
import dev.cairn.aws.idempotency.DynamoDbBreakGlassStore;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.anchor.AnchorMismatch;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.BreakGlassFlagState;
import dev.cairn.core.override.OverrideAction;
import dev.cairn.core.override.OverrideRequests;
import dev.cairn.core.override.StoredBreakGlass;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.signature.port.ManifestSigner;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.local.emulators.CloudFormationEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Trust: signed operator overrides through the real override Lambda handler, N-of-M approvals
 * counted by the lease, and the audit anchorer. Every refusal is checked on the spot: the answer
 * names the expected failure, every artifact record is exactly as before, and the audit chain grew
 * by one {@code OverrideRequested} entry that records the refusal.
 */
final class TrustScenarios {

  static final String BREAK_GLASS_PARAMETER = "/cairn/break-glass";
  static final String ANCHOR_TOPIC = "arn:aws:sns:us-east-1:000000000000:audit-anchor-publish";
  static final String OVERRIDE_ARN =
      "arn:aws:lambda:us-east-1:000000000000:function:cairn-override";

  private TrustScenarios() {}

  // --- Scenarios ------------------------------------------------------------------------------

  static void overrideRollback(ScenarioContext c) throws Exception {
    Trust t = new Trust(c);
    twoReleasesLive(c);
    t.rollbackToA("ops-alice");
  }

  static void overrideReplay(ScenarioContext c) throws Exception {
    Trust t = new Trust(c);
    twoReleasesLive(c);
    ObjectNode request = t.signRollbackToA("ops-alice");
    t.applied(request);
    c.note("the same signed request is submitted again, a minute later");
    c.world().clock.advance(Duration.ofMinutes(1));
    t.refused(request, OverrideFailure.OVERRIDE_REPLAYED);
    t.drain();
    t.requireProd(COMMIT_A, "deployed");
  }

  static void overrideExpired(ScenarioContext c) throws Exception {
    Trust t = new Trust(c);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    ObjectNode request =
        t.sign(
            "ops-alice", OverrideAction.REQUEUE, COMMIT_A, "stage", "redeploy stage after a fix");
    c.note("ops-alice signs a requeue (valid 15 minutes); it sits in an outbox for 16 minutes");
    c.world().clock.advance(Duration.ofMinutes(16));
    t.refused(request, OverrideFailure.OVERRIDE_EXPIRED);
  }

  static void overrideUntrustedKey(ScenarioContext c) throws Exception {
    Trust t = new Trust(c);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.note("ops-mallory, whose key is not in the operator trust policy, signs a rollback");
    t.refused(
        t.sign("ops-mallory", OverrideAction.ROLLBACK, COMMIT_A, "prod", "trust me"),
        OverrideFailure.OVERRIDE_SIGNER_UNTRUSTED);
    c.note("CI's artifact key signs a rollback");
    t.refused(
        t.sign(SandboxWorld.SIGNER, OverrideAction.ROLLBACK, COMMIT_A, "prod", "from CI"),
        OverrideFailure.OVERRIDE_CI_KEY_REFUSED);
    c.note("mallory's key signs as ops-alice");
    t.refused(
        t.signWith(
            t.keys.get("ops-mallory"),
            "ops-alice",
            OverrideAction.ROLLBACK,
            COMMIT_A,
            "prod",
            "impersonation"),
        OverrideFailure.OVERRIDE_SIGNATURE_INVALID);
  }

  static void breakGlassWithoutFlag(ScenarioContext c) throws Exception {
    Trust t = new Trust(c);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    t.driftProd();
    c.candidateUploaded(COMMIT_B);
    int alerts = t.alerts();
    c.note("ops-alice signs break_glass to deploy over the drift; the SSM flag is off");
    t.refused(
        t.sign(
            "ops-alice",
            OverrideAction.BREAK_GLASS,
            COMMIT_B,
            "prod",
            "INC-43: the drift is the hotfix; deploy over it"),
        OverrideFailure.BREAK_GLASS_DISABLED);
    t.requireAlerts(alerts + 1, "break_glass must always alert");
    c.note("break_glass alerted the operators' topic even though it was refused");
    c.note("an administrator sets /cairn/break-glass to the retired {\"enabled\":true}");
    t.setFlag("{\"enabled\":true}", "break_glass_legacy_value");
    t.refused(
        t.sign(
            "ops-alice",
            OverrideAction.BREAK_GLASS,
            COMMIT_B,
            "prod",
            "INC-43: the drift is the hotfix; deploy over it"),
        OverrideFailure.BREAK_GLASS_DISABLED);
    t.requireAlerts(alerts + 2, "a refused break_glass must alert");
    java.time.Instant until = w(c).clock.instant().plus(Duration.ofHours(1));
    c.note("the administrator opens break-glass for one hour: expires_at " + until);
    t.setFlag(BreakGlassFlagState.value(until), "break_glass_expires_at");
    ObjectNode request =
        t.sign(
            "ops-alice",
            OverrideAction.BREAK_GLASS,
            COMMIT_B,
            "prod",
            "INC-43: the drift is the hotfix; deploy over it");
    JsonNode answer = t.applied(request);
    t.drain();
    t.requireProd(COMMIT_B, "deployed");
    StoredBreakGlass stored =
        t.breakGlassStore.find(new ArtifactKey(t.w.service, COMMIT_B)).orElseThrow();
    if (stored.consumedBy() == null
        || !stored.consumedBy().endsWith(":" + answer.path("execution_name").asText())) {
      throw new IllegalStateException(
          "the break_glass was not consumed by the execution it started: " + stored);
    }
    // Accepted by the override Lambda, then used by the drift gate: one alert each.
    t.requireAlerts(alerts + 4, "an accepted break_glass and its use at the drift gate alert");
    c.note(
        "the drift gate verified the stored request again and consumed it: consumed_by "
            + stored.consumedBy().substring(stored.consumedBy().lastIndexOf(':') + 1));
  }

  private static SandboxWorld w(ScenarioContext c) {
    return c.world();
  }

  static void twoPersonApproval(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    w.reconfigure(
        config -> {
          for (JsonNode e : config.path("environments")) {
            if (e.path("name").asText().equals("prod")) {
              ((ObjectNode) e).put("approvals_required", 2);
            }
          }
        });
    Trust t = new Trust(c);
    c.note("prod requires 2 distinct operator approvals");
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    t.requireProd(COMMIT_A, "pending");
    t.approve("ops-alice", 1, false);
    t.approve("ops-alice", 1, false);
    t.approve("ops-alice-laptop", 1, false); // the same key under a second identity
    t.requireProd(COMMIT_A, "pending");
    t.approve("ops-bob", 2, true);
    t.requireProd(COMMIT_A, "deployed");
  }

  static void auditTamper(ScenarioContext c) throws Exception {
    Trust t = new Trust(c);
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    ObjectNode anchor = t.anchor();
    c.note(
        "anchored "
            + anchor.path("object_key").asText()
            + " (depth "
            + anchor.path("chain_depth").asLong()
            + ", log_hash "
            + anchor.path("log_hash").asText().substring(0, 16)
            + "…) and published it to audit-anchor-publish");
    long victim = 1;
    c.note(
        "an attacker with DynamoDB access rewrites details.artifact_sha256 of audit entry "
            + victim
            + " (ArtifactPublished)");
    w.dynamoDb.updateItem(
        r ->
            r.tableName(SandboxWorld.AUDIT_TABLE)
                .key(
                    Map.of(
                        "chain_id", AttributeValue.fromS(AuditChain.DEFAULT_CHAIN_ID),
                        "sequence", AttributeValue.fromN(Long.toString(victim))))
                .updateExpression("SET details.artifact_sha256 = :h")
                .expressionAttributeValues(Map.of(":h", AttributeValue.fromS("0".repeat(64)))));
    AnchorCheck.Result check = t.verifyAgainstAnchors();
    if (check.valid()) {
      throw new IllegalStateException("the edited chain still matches its anchors");
    }
    AnchorCheck.Disagreement d = check.disagreements().get(0);
    c.note(
        "cairn audit verify --table "
            + SandboxWorld.AUDIT_TABLE
            + " --anchors-bucket "
            + SandboxWorld.ANCHORS
            + ": BROKEN at sequence "
            + d.entrySequence()
            + "; anchor "
            + d.anchorKey()
            + " disagrees ("
            + d.reason()
            + ")");
    try {
      t.anchor();
      throw new IllegalStateException("the anchorer anchored a broken chain");
    } catch (AnchorMismatch | dev.cairn.core.ledger.RecordUnauthenticatedException e) {
      // The edited entry's MAC no longer verifies: the anchorer refuses before it hashes.
      c.note("the next anchorer run refuses: " + e.getMessage());
    }
  }

  /** A is live in stage and prod, then B replaces it in both. */
  private static void twoReleasesLive(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    c.candidateUploaded(COMMIT_B);
  }

  // --- The override Lambda and the anchorer on the sandbox world ------------------------------

  /** Operators, the real override and anchorer handlers, wired on the world's local services. */
  static final class Trust {
    final ScenarioContext c;
    final SandboxWorld w;
    final Map<String, PemKeySigner> keys = new HashMap<>();
    final SsmEmulator toolsSsm;
    final DynamoDbApprovalStore approvals;
    final DynamoDbBreakGlassStore breakGlassStore;
    final S3AnchorStore anchors;

    /** How long the approvals this operator signs count (`--approval-valid-for`). */
    java.time.Duration approvalValidity = java.time.Duration.ofDays(1);

    /** The audience every request names: the installation's id from its config parameter. */
    final String installation;

    private int nonces;

    Trust(ScenarioContext c) {
      this.c = c;
      this.w = c.world();
      // The operators' keys the installation's config pins (generated when it was synthesized);
      // mallory's is not in it.
      PemKeySigner alice = operatorKey("ops-alice", "ops-alice");
      keys.put("ops-alice", alice);
      keys.put("ops-alice-laptop", operatorKey("ops-alice-laptop", "ops-alice"));
      keys.put("ops-bob", operatorKey("ops-bob", "ops-bob"));
      KeyPair mallory = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
      keys.put("ops-mallory", new PemKeySigner("ops-mallory", mallory.getPrivate()));
      keys.put(SandboxWorld.SIGNER, w.signer);
      this.toolsSsm = w.toolsSsm;
      this.approvals =
          new DynamoDbApprovalStore(w.dynamoDb, SandboxWorld.IDEMPOTENCY_TABLE, w.clock);
      this.anchors = new S3AnchorStore(w.s3, SandboxWorld.ANCHORS, null);
      this.breakGlassStore =
          new DynamoDbBreakGlassStore(w.dynamoDb, SandboxWorld.IDEMPOTENCY_TABLE, w.clock);
      String config =
          w.functions.get("override").spec().environment().get("CONTROL_PLANE_CONFIG_PARAMETER");
      this.installation =
          dev.cairn.core.pipeline.ControlPlaneConfig.parse(
                  toolsSsm.value(config).orElseThrow(), "aws")
              .installationId();
    }

    /** Someone edits a table of prod's hello-prod-data in the console: the stack has drifted. */
    void driftProd() {
      CloudFormationEmulator prod = w.cloudFormation.forAccount(SandboxWorld.PROD_ACCOUNT);
      String table =
          prod.deployedResources("hello-prod-data").keySet().stream()
              .filter(k -> k.startsWith("Greetings"))
              .findFirst()
              .orElseThrow();
      c.note("someone edits " + table + " in the prod console: hello-prod-data has drifted");
      prod.markDrifted("hello-prod-data", table);
    }

    /**
     * An administrator puts {@code value} on the break-glass flag; SSM's change event reaches the
     * synthesized rule, whose target (the override Lambda) audits it ({@code TrustRootChanged},
     * with {@code detail}) and alerts.
     */
    void setFlag(String value, String detail) {
      long head = w.auditLog.head().sequence();
      int published = w.sns.published().size();
      w.putBreakGlassFlag(value);
      w.drain();
      JsonNode last = lastEntry();
      if (w.auditLog.head().sequence() != head + 1
          || !"TrustRootChanged".equals(last.path("action").asText())
          || !last.path("details").has(detail)) {
        throw new IllegalStateException(
            "a break-glass flag change must append one TrustRootChanged entry with "
                + detail
                + "; got "
                + last);
      }
      boolean alerted =
          w.sns.published().subList(published, w.sns.published().size()).stream()
              .anyMatch(
                  p ->
                      p.topicArn().equals(w.alertTopicArn())
                          && p.subject() != null
                          && p.subject().startsWith("Cairn trust root changed"));
      if (!alerted) {
        throw new IllegalStateException("a break-glass flag change must alert");
      }
      c.note(
          "SSM raised Parameter Store Change; the TrustRootChangeRule's target audited it (entry "
              + last.path("sequence").asLong()
              + ": "
              + last.path("details").path("summary").asText()
              + ") and alerted");
    }

    void requireAlerts(int expected, String why) {
      if (alerts() != expected) {
        throw new IllegalStateException(
            why + ": " + alerts() + " break_glass alerts, expected " + expected);
      }
    }

    /** The synthesized override function (looked up per use: a redeploy replaces it). */
    private RequestStreamHandler override() {
      return w.functions.get("override").handler();
    }

    private static PemKeySigner operatorKey(String identity, String keyFile) {
      return new PemKeySigner(
          identity,
          PemKeys.readPrivateKey(
              dev.cairn.sandbox.assembly.ControlPlaneAssembly.classpathFile(
                  "keys/" + keyFile + ".pem")));
    }

    /** Runs the executions the override Lambda started, in order, to the end. */
    void drain() {
      int before = w.executions.size();
      w.drain();
      for (SandboxWorld.Execution e : w.executions.subList(before, w.executions.size())) {
        if (e.result().error() != null) {
          c.note(
              "execution "
                  + e.name()
                  + " failed: "
                  + e.result().error()
                  + " "
                  + e.result().cause());
        }
      }
    }

    private static TrustPolicy.SignerSpec operator(String identity, KeyPair key) {
      return new TrustPolicy.SignerSpec(
          identity, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(key.getPublic()));
    }

    ObjectNode sign(
        String identity, OverrideAction action, String commit, String env, String reason) {
      return signWith(keys.get(identity), identity, action, commit, env, reason);
    }

    ObjectNode signWith(
        ManifestSigner key,
        String identity,
        OverrideAction action,
        String commit,
        String env,
        String reason) {
      return signWith(key, identity, action, commit, env, installation, reason);
    }

    ObjectNode signWith(
        ManifestSigner key,
        String identity,
        OverrideAction action,
        String commit,
        String env,
        String audience,
        String reason) {
      ObjectNode unsigned =
          OverrideRequests.create(
              action,
              w.service,
              commit,
              env,
              audience,
              reason,
              identity + "@sandbox",
              w.clock.instant(),
              OverrideRequests.MAX_LIFETIME,
              String.format("sandbox-nonce-%06d", ++nonces));
      if (action == OverrideAction.APPROVE) {
        // What the operator approves: the digest `cairn status` shows, this installation, a day.
        unsigned =
            OverrideRequests.bindApproval(
                unsigned,
                w.ledger.find(new ArtifactKey(w.service, commit)).orElseThrow().artifactSha256(),
                SandboxWorld.INSTALLATION_ID,
                w.clock.instant().plus(approvalValidity));
      }
      ManifestSigner as =
          new ManifestSigner() {
            @Override
            public String signingIdentity() {
              return identity;
            }

            @Override
            public SignatureAlgorithm algorithm() {
              return key.algorithm();
            }

            @Override
            public byte[] sign(byte[] data) {
              return key.sign(data);
            }
          };
      return OverrideRequests.sign(unsigned, as);
    }

    /** {@code cairn override submit}: the request to the override Lambda handler. */
    JsonNode submit(ObjectNode request) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      override()
          .handleRequest(
              new ByteArrayInputStream(Json.compact(request).getBytes(StandardCharsets.UTF_8)),
              out,
              null);
      JsonNode answer = Json.parse(out.toByteArray());
      c.note(
          "override "
              + request.path("action").asText()
              + " by "
              + request.path("signing_identity").asText()
              + " → "
              + answer.path("outcome").asText()
              + (answer.has("failure") ? " " + answer.path("failure").asText() : "")
              + (answer.path("execution_name").isTextual()
                  ? ", started " + answer.path("execution_name").asText()
                  : ""));
      return answer;
    }

    /** Submits, expects {@code failure}, and checks that only the refusal's audit entry changed. */
    void refused(ObjectNode request, OverrideFailure failure) throws IOException {
      Map<String, JsonNode> before = ledger();
      long head = w.auditLog.head().sequence();
      JsonNode answer = submit(request);
      if (!"refused".equals(answer.path("outcome").asText())
          || !failure.name().equals(answer.path("failure").asText())) {
        throw new IllegalStateException("expected refusal " + failure + ", got " + answer);
      }
      if (!before.equals(ledger())) {
        throw new IllegalStateException("a refused override changed the ledger");
      }
      long after = w.auditLog.head().sequence();
      JsonNode last = lastEntry();
      if (after != head + 1
          || !"OverrideRequested".equals(last.path("action").asText())
          || !failure.name().equals(last.path("details").path("failure").asText())) {
        throw new IllegalStateException(
            "a refusal must append exactly one OverrideRequested entry; got " + last);
      }
      c.note(
          "ledger unchanged; audit entry "
              + after
              + " records OverrideRequested refused "
              + failure.name());
    }

    ObjectNode signRollbackToA(String identity) {
      return sign(
          identity,
          OverrideAction.ROLLBACK,
          COMMIT_A,
          "prod",
          "INC-42: the second release raises 5xx; back to the last good release");
    }

    /** Operator rollback of prod to commit A (the first release), run to the end. */
    ObjectNode rollbackToA(String identity) throws IOException {
      ObjectNode request = signRollbackToA(identity);
      applied(request);
      drain();
      requireProd(COMMIT_A, "deployed");
      return request;
    }

    JsonNode applied(ObjectNode request) throws IOException {
      JsonNode answer = submit(request);
      if (!"applied".equals(answer.path("outcome").asText())) {
        throw new IllegalStateException("the signed override was not applied: " + answer);
      }
      return answer;
    }

    void approve(String identity, int expectDistinct, boolean expectStart) throws IOException {
      approve(identity, COMMIT_A, expectDistinct, expectStart);
    }

    /** A signed approval of {@code commit} for prod; its outcome must be as expected. */
    void approve(String identity, String commit, int expectDistinct, boolean expectStart)
        throws IOException {
      JsonNode answer =
          submit(
              sign(
                  identity,
                  OverrideAction.APPROVE,
                  commit,
                  "prod",
                  "reviewed the prod change sets of " + commit.substring(0, 12)));
      int distinct = answer.path("approvals").path("distinct").asInt(-1);
      boolean started = answer.path("execution_name").isTextual();
      if (!"applied".equals(answer.path("outcome").asText())
          || distinct != expectDistinct
          || started != expectStart) {
        throw new IllegalStateException(
            "approval by "
                + identity
                + ": expected "
                + expectDistinct
                + " distinct, start "
                + expectStart
                + "; got "
                + answer);
      }
      drain();
      c.note(
          "approvals for prod: "
              + distinct
              + " of "
              + answer.path("approvals").path("required").asInt()
              + " distinct operator keys");
    }

    void requireProd(String commit, String status) {
      ArtifactRecord r = w.ledger.find(new ArtifactKey(w.service, commit)).orElseThrow();
      String actual = r.environment("prod").status().toString();
      if (!status.equals(actual)) {
        throw new IllegalStateException(
            "prod of " + commit.substring(0, 12) + " is " + actual + ", expected " + status);
      }
    }

    /**
     * Runs the synthesized audit-anchorer function once, as its 10-minute schedule does (the
     * schedule's target has no Input: Scheduler sends an empty object).
     */
    ObjectNode anchor() throws IOException {
      return (ObjectNode) w.functions.get("audit-anchorer").invoke(Json.object());
    }

    /** What {@code cairn audit verify --table … --anchors-bucket …} checks. */
    AnchorCheck.Result verifyAgainstAnchors() {
      List<ObjectNode> all = anchors.all(AuditChain.DEFAULT_CHAIN_ID);
      Map<Long, String> hashes = new TreeMap<>();
      List<ObjectNode> entries = new ArrayList<>();
      // Without --mac-key, as an operator without KMS access runs it: chain links and anchors.
      dev.cairn.aws.audit.DynamoDbAuditLog links =
          dev.cairn.aws.audit.DynamoDbAuditLog.withoutMacCheck(
              w.dynamoDb, SandboxWorld.AUDIT_TABLE, AuditChain.DEFAULT_CHAIN_ID);
      links.entries().forEachRemaining(entries::add);
      entries.forEach(e -> hashes.put(e.path("sequence").asLong(), e.path("log_hash").asText()));
      AuditVerification chain = AuditChainVerifier.verify(entries.iterator(), links.head());
      return AnchorCheck.check(AuditChain.DEFAULT_CHAIN_ID, hashes, chain, all);
    }

    int alerts() {
      return (int)
          w.sns.published().stream()
              .filter(p -> p.topicArn().equals(w.alertTopicArn()))
              .filter(p -> p.subject() != null && p.subject().contains("break_glass"))
              .count();
    }

    Map<String, JsonNode> ledger() {
      Map<String, JsonNode> out = new TreeMap<>();
      for (ArtifactRecord r : w.ledger.findByService(w.service)) {
        out.put(r.commitSha(), Json.mapper().valueToTree(r));
      }
      return out;
    }

    JsonNode lastEntry() {
      JsonNode last = null;
      for (Iterator<ObjectNode> it = w.auditLog.entries(); it.hasNext(); ) {
        last = it.next();
      }
      return last;
    }
  }
}
