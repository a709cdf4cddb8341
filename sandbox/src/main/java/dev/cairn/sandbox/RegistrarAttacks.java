package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.AuditItems;
import dev.cairn.aws.ledger.ArtifactItems;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.SweepPolicy;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.sandbox.SelfHealingScenarios.SelfHealing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A compromised CI runner tries to write the ledger or the audit log (the security review's
 * findings 2, 3 and 5). CI holds no DynamoDB permission at all: each write is refused by IAM before
 * it reaches the table, and the pipeline then behaves exactly as if the attacker had not been
 * there. The attacker builds its items with Cairn's own codecs, so a refusal is IAM's, never a
 * malformed item's.
 */
final class RegistrarAttacks {

  /**
   * CI holds no {@code kms:GenerateMac}: the best it can attach to an item is a MAC of its own
   * making, which the control plane's key would refuse at the next read.
   */
  private static final dev.cairn.core.ledger.ItemMacs FORGED_MACS =
      new dev.cairn.core.ledger.ItemMacs(
          new dev.cairn.core.ledger.port.ItemAuthenticator() {
            @Override
            public byte[] mac(byte[] digest) {
              return new byte[32];
            }

            @Override
            public boolean verify(byte[] digest, byte[] mac) {
              return false;
            }
          });

  private RegistrarAttacks() {}

  /**
   * Prod runs the second commit. CI rewrites the first commit's record to {@code status=promoted},
   * prod {@code pending}, on the sweep index, so that the sweeper would redeploy the old commit to
   * prod; then tries the same with an update. Both are refused; two sweeps later prod is unchanged.
   */
  static void ciForgesLedgerDowngrade(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    c.candidateUploaded(COMMIT_B);
    requireProd(w, COMMIT_B, EnvironmentStatus.DEPLOYED);

    Attack a = c.attack("CI rewrites the old release's record to redeploy it to prod (downgrade)");
    ArtifactKey old = key(c.world(), COMMIT_A);
    ArtifactRecord current = w.ledger.find(old).orElseThrow();
    ArtifactRecord forged =
        SweepPolicy.apply(
            current.toBuilder()
                .status(ArtifactStatus.PROMOTED)
                .environment(
                    "prod",
                    EnvironmentState.initial(EnvironmentStatus.PENDING, SandboxWorld.REGION)
                        .withTestStatus(TestStatus.NOT_TESTED))
                .build(),
            w.clock.instant().minus(SweepPolicy.MISSED_EVENT_GRACE.multipliedBy(2)));
    c.note(
        "CI puts a forged "
            + old
            + " record: status=promoted, prod=pending, sweep_due_at="
            + forged.sweepDueAt());
    DynamoDbClient ci = a.ci().dynamoDb();
    a.ci()
        .denied(
            () ->
                ci.putItem(
                    r ->
                        r.tableName(SandboxWorld.METADATA_TABLE)
                            .item(ArtifactItems.toItem(forged))));
    c.note("CI updates the record in place instead (SET status, prod status, sweep_due_at)");
    a.ci()
        .denied(
            () ->
                ci.updateItem(
                    r ->
                        r.tableName(SandboxWorld.METADATA_TABLE)
                            .key(ArtifactItems.key(old))
                            .updateExpression(
                                "SET #s = :promoted, environment_states.prod.#s = :pending,"
                                    + " sweep_due_at = :now, sweep_partition = :p")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(
                                Map.of(
                                    ":promoted", AttributeValue.fromS("promoted"),
                                    ":pending", AttributeValue.fromS("pending"),
                                    ":now",
                                        AttributeValue.fromN(
                                            Long.toString(w.clock.instant().getEpochSecond())),
                                    ":p", AttributeValue.fromS(forged.sweepPartition())))));

    h.sweep();
    h.sweep();
    c.note("two sweeps later: the sweeper started " + h.started + " execution(s)");
    requireUnchanged(w, old, current);
    requireProd(w, COMMIT_B, EnvironmentStatus.DEPLOYED);
    a.refusedByIam(
        "the CI role holds no DynamoDB permission (only the registrar, which CI may invoke,"
            + " creates records); sweep_due_at is written by the control plane alone");
  }

  /**
   * Prod needs two approvals. CI predicts the sweeper's execution name for the commit waiting on
   * prod and writes {@code deploying} with that execution id, so that the lease would take the
   * record as already leased and skip the approval count. Refused; the commit still waits.
   */
  static void ciPrewritesLeaseToSkipApprovals(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    w.reconfigure(
        config -> {
          for (JsonNode e : config.path("environments")) {
            if (e.path("name").asText().equals("prod")) {
              ((ObjectNode) e).put("approvals_required", 2);
            }
          }
        });
    SelfHealing h = new SelfHealing(c);
    c.note("prod requires 2 distinct operator approvals");
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    requireProd(w, COMMIT_A, EnvironmentStatus.PENDING);

    Attack a = c.attack("CI pre-writes prod's lease for the next sweeper execution");
    ArtifactKey key = key(c.world(), COMMIT_A);
    ArtifactRecord current = w.ledger.find(key).orElseThrow();
    // The sweeper names its executions sweep-<env>-<commit12>-v<version> (SweepDecision): the
    // attacker's own write would be version+1.
    String name = "sweep-prod-" + COMMIT_A.substring(0, 12) + "-v" + (current.version() + 1);
    String executionArn = w.stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    ArtifactRecord leased =
        current.toBuilder()
            .version(current.version() + 1)
            .environment(
                "prod", current.environment("prod").withStatus(EnvironmentStatus.DEPLOYING))
            .executionId(executionArn)
            .build();
    c.note("CI writes prod=deploying, execution_id=" + executionArn);
    DynamoDbClient ci = a.ci().dynamoDb();
    a.ci()
        .denied(
            () ->
                ci.putItem(
                    r ->
                        r.tableName(SandboxWorld.METADATA_TABLE)
                            .item(ArtifactItems.toItem(leased))));
    a.ci()
        .denied(
            () ->
                ci.updateItem(
                    r ->
                        r.tableName(SandboxWorld.METADATA_TABLE)
                            .key(ArtifactItems.key(key))
                            .updateExpression(
                                "SET environment_states.prod.#s = :deploying, execution_id = :e")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(
                                Map.of(
                                    ":deploying", AttributeValue.fromS("deploying"),
                                    ":e", AttributeValue.fromS(executionArn)))));

    h.sweep();
    h.sweep();
    c.note("two sweeps later: the sweeper started " + h.started + " execution(s)");
    ArtifactRecord after = w.ledger.find(key).orElseThrow();
    if (after.environment("prod").status() != EnvironmentStatus.PENDING
        || executionArn.equals(after.executionId())) {
      throw new IllegalStateException(
          "prod of "
              + key
              + " is "
              + after.environment("prod").status()
              + " (execution "
              + after.executionId()
              + "); it must still wait for its approvals");
    }
    c.note("prod of " + key + " still waits for its 2 approvals (pending)");
    a.refusedByIam(
        "the CI role holds no DynamoDB permission: only the pipeline's lease writes deploying,"
            + " after counting the approvals");
  }

  /**
   * CI tries to rewrite the unanchored tail of the audit log consistently (overwrite an entry, move
   * the head) and to append an entry that looks like an operator's. Each write is refused; the
   * chain verifies and holds exactly what the control plane wrote.
   */
  static void auditTailRewrite(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    List<ObjectNode> before = entries(w);
    AuditHead head = w.auditLog.head();

    Attack a = c.attack("CI rewrites the audit log's unanchored tail");
    DynamoDbClient ci = a.ci().dynamoDb();
    ObjectNode last = before.get(before.size() - 1);
    ObjectNode previous = before.get(before.size() - 2);
    // A consistent rewrite: the last entry with other details, re-hashed onto its predecessor.
    ObjectNode rewritten = last.deepCopy();
    ((ObjectNode) rewritten.get("details")).put("note", "nothing happened here");
    rewritten.put("log_hash", AuditChain.logHash(rewritten));
    c.note(
        "CI overwrites entry "
            + last.path("sequence").asLong()
            + ", re-hashed onto its predecessor");
    a.ci()
        .denied(
            () ->
                ci.putItem(
                    r ->
                        r.tableName(SandboxWorld.AUDIT_TABLE)
                            .item(dev.cairn.aws.dynamodb.AttributeValues.fromJson(rewritten))));
    c.note("CI moves the chain head onto the rewritten entry");
    a.ci()
        .denied(
            () ->
                ci.transactWriteItems(
                    r ->
                        r.transactItems(
                            AuditItems.moveHead(
                                SandboxWorld.AUDIT_TABLE,
                                new AuditHead(
                                    head.chainId(),
                                    previous.path("sequence").asLong(),
                                    previous.path("log_hash").asText(),
                                    previous.path("timestamp").asText()),
                                rewritten,
                                FORGED_MACS))));
    c.note("CI appends an entry that looks like an operator's OverrideApplied");
    ObjectNode forged =
        AuditChain.seal(
            new dev.cairn.core.audit.AuditEvent(
                w.clock.instant(),
                new dev.cairn.core.audit.Actor(
                    dev.cairn.core.lifecycle.ActorRole.OPERATOR, "ops-alice"),
                "OverrideApplied",
                key(c.world(), COMMIT_A),
                null,
                null,
                List.of(),
                "approved in the incident channel",
                null,
                Map.of()),
            head);
    a.ci()
        .denied(
            () ->
                ci.putItem(
                    r ->
                        r.tableName(SandboxWorld.AUDIT_TABLE)
                            .item(dev.cairn.aws.dynamodb.AttributeValues.fromJson(forged))));
    c.note("CI edits the head in place");
    a.ci()
        .denied(
            () ->
                ci.updateItem(
                    r ->
                        r.tableName(SandboxWorld.AUDIT_TABLE)
                            .key(AuditItems.headKey(head.chainId()))
                            .updateExpression("SET head_sequence = :s")
                            .expressionAttributeValues(
                                Map.of(
                                    ":s",
                                    AttributeValue.fromN(Long.toString(head.sequence() + 1))))));

    List<ObjectNode> after = entries(w);
    AuditVerification v = AuditChainVerifier.verify(after.iterator(), w.auditLog.head());
    if (!v.valid() || !after.equals(before)) {
      throw new IllegalStateException(
          "the audit log changed or no longer verifies: " + Json.compact(v.toJson()));
    }
    c.note(
        "the chain verifies: "
            + after.size()
            + " entries, head "
            + w.auditLog.head().sequence()
            + ", exactly what the control plane wrote");
    a.refusedByIam(
        "no principal but the control plane's functions may put audit items, and nobody may"
            + " update or delete one; the CI role holds no DynamoDB permission");
  }

  private static ArtifactKey key(SandboxWorld w, String commit) {
    return new ArtifactKey(w.service, commit);
  }

  private static List<ObjectNode> entries(SandboxWorld w) {
    List<ObjectNode> out = new ArrayList<>();
    w.auditLog.entries().forEachRemaining(out::add);
    return out;
  }

  private static void requireProd(SandboxWorld w, String commit, EnvironmentStatus status) {
    EnvironmentStatus actual =
        w.ledger.find(key(w, commit)).orElseThrow().environment("prod").status();
    if (actual != status) {
      throw new IllegalStateException(
          "prod of " + commit.substring(0, 12) + " is " + actual + ", expected " + status);
    }
  }

  private static void requireUnchanged(SandboxWorld w, ArtifactKey key, ArtifactRecord before) {
    ArtifactRecord after = w.ledger.find(key).orElseThrow();
    if (after.status() != before.status()
        || after.environment("prod").status() != before.environment("prod").status()) {
      throw new IllegalStateException(
          key + " changed: " + before.status() + " → " + after.status() + " after the attack");
    }
  }
}
