package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.ledger.SweepPolicy;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Duration;
import java.time.Instant;

/**
 * An environment that requires signed approvals waits for them without restarts. The execution that
 * finds too few approvals ends as {@code AwaitingApprovals} and writes nothing; the sweeper
 * recognises the wait from the signed approvals themselves and starts nothing; the approval that
 * meets the threshold starts the deploy.
 */
final class ApprovalScenarios {

  private ApprovalScenarios() {}

  /** How long prod waits for its second approval. */
  static final Duration WAIT = Duration.ofHours(3);

  static void approvalArrivesLate(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    w.reconfigure(
        config -> {
          for (JsonNode e : config.path("environments")) {
            if (e.path("name").asText().equals("prod")) {
              ((ObjectNode) e).put("approvals_required", 2);
            }
          }
        });
    TrustScenarios.Trust t = new TrustScenarios.Trust(c);
    c.note("prod requires 2 distinct operator approvals");
    ArtifactKey key = c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    t.requireProd(COMMIT_A, "pending");
    t.approve("ops-alice", 1, false);

    long auditHead = w.auditLog.head().sequence();
    long version = w.ledger.find(key).orElseThrow().version();
    int starts = w.sfn.startExecutionRequests().size();
    int executions = w.executions.size();
    int[] sweeps = {0, 0, 0};
    w.onScheduledInvocation =
        (function, out) -> {
          if (function.equals("sweeper")) {
            sweeps[0]++;
            sweeps[1] += out.path("awaiting_approvals").asInt();
            sweeps[2] += out.path("started").asInt() + out.path("retried").asInt();
          }
        };
    Duration every = w.schedule("sweeper");
    Instant until = w.clock.instant().plus(WAIT);
    while (w.clock.instant().isBefore(until)) {
      w.clock.advance(every);
      w.drain();
    }
    w.onScheduledInvocation = (function, out) -> {};
    long auditAfter = w.auditLog.head().sequence();
    if (auditAfter != auditHead) {
      throw new IllegalStateException(
          "audit entries were added while prod waited: head " + auditHead + " -> " + auditAfter);
    }
    if (w.ledger.find(key).orElseThrow().version() != version) {
      throw new IllegalStateException("the record was written while prod waited");
    }
    if (w.sfn.startExecutionRequests().size() != starts
        || w.executions.size() != executions
        || sweeps[2] != 0) {
      throw new IllegalStateException("an execution was started while prod waited");
    }
    // Sweeps within the missed-event grace after the record's last write leave it alone anyway.
    long grace = SweepPolicy.MISSED_EVENT_GRACE.dividedBy(every);
    if (sweeps[0] < WAIT.dividedBy(every) || sweeps[1] < sweeps[0] - grace) {
      throw new IllegalStateException(
          sweeps[0] + " sweeps, " + sweeps[1] + " saw prod awaiting approvals");
    }
    t.requireProd(COMMIT_A, "pending");
    c.note(
        "prod waited "
            + WAIT.toHours()
            + " h for its second approval: "
            + sweeps[0]
            + " sweeps started nothing, "
            + sweeps[1]
            + " of them saw it awaiting approvals; audit head stayed at "
            + auditHead
            + ", the record at version "
            + version);
    t.approve("ops-bob", 2, true);
    t.requireProd(COMMIT_A, "deployed");
    c.note("the second approval started the prod execution, which counted 2 and deployed");
  }

  /**
   * Alice's approval is valid for 2 hours; Bob approves after 3. The override Lambda starts the
   * execution (two approvers stored), but the lease re-verifies: Alice's approval has expired, is
   * ignored and audited ({@code ApprovalsIgnored}, {@code APPROVAL_EXPIRED}), and prod keeps
   * waiting. Alice approves again and prod deploys.
   */
  static void approvalExpiresWhileWaiting(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    w.reconfigure(
        config -> {
          for (JsonNode e : config.path("environments")) {
            if (e.path("name").asText().equals("prod")) {
              ((ObjectNode) e).put("approvals_required", 2);
            }
          }
        });
    TrustScenarios.Trust t = new TrustScenarios.Trust(c);
    c.note("prod requires 2 distinct operator approvals");
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    t.approvalValidity = Duration.ofHours(2);
    t.approve("ops-alice", 1, false);
    c.note("ops-alice's approval counts for 2 hours");
    t.approvalValidity = Duration.ofDays(1);
    Duration every = w.schedule("sweeper");
    Instant until = w.clock.instant().plus(WAIT);
    while (w.clock.instant().isBefore(until)) {
      w.clock.advance(every);
      w.drain();
    }
    int executions = w.executions.size();
    t.approve("ops-bob", 2, true);
    SandboxWorld.Execution refused = w.executions.get(executions);
    if (!refused.result().output().path("outcome").asText().equals("awaiting_approvals")) {
      throw new IllegalStateException(
          "the lease counted an expired approval: " + refused.result().output());
    }
    JsonNode ignored = t.lastEntry();
    if (!ignored.path("action").asText().equals("ApprovalsIgnored")
        || !ignored
            .path("details")
            .path("approvals_ignored")
            .asText()
            .endsWith("=APPROVAL_EXPIRED")) {
      throw new IllegalStateException("the expired approval was not audited: " + ignored);
    }
    t.requireProd(COMMIT_A, "pending");
    c.note(
        "the lease re-verified both approvals: ops-alice's expired, ignored and audited"
            + " (ApprovalsIgnored "
            + ignored.path("details").path("approvals_ignored").asText()
            + "); prod keeps waiting");
    t.approve("ops-alice", 2, true);
    t.requireProd(COMMIT_A, "deployed");
    c.note("ops-alice approved again; prod deployed");
  }
}
