package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The approval scenarios from outside: executions, the record and the audit chain. */
class ApprovalScenariosTest {

  @Test
  void approvalArrivesLate_prodWaitsThreeHoursWithoutRestartsThenDeploys() throws Exception {
    AtomicReference<List<String>> actions = new AtomicReference<>();
    ObjectNode r =
        TrustScenariosTest.run(
            Scenario.APPROVAL_ARRIVES_LATE,
            w -> {
              List<String> a = new ArrayList<>();
              w.auditLog.entries().forEachRemaining(e -> a.add(e.path("action").asText()));
              actions.set(a);
            });

    JsonNode a = TrustScenariosTest.artifact(r, COMMIT_A);
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    JsonNode executions = r.get("executions");
    // stage; prod awaiting approvals (nothing written); prod started by the second approval.
    // Nothing else in three hours of sweeps.
    assertThat(executions).hasSize(3);
    assertThat(executions.get(1).path("states_visited").toString())
        .contains("AwaitingApprovals")
        .doesNotContain("CreateChangeSets");
    assertThat(executions.get(2).path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(actions.get()).doesNotContain("SweeperStartRetry", "ApprovalsIgnored");
  }

  @Test
  void approvalExpiresWhileWaiting_theLeaseIgnoresAndAuditsItThenAFreshOneDeploys()
      throws Exception {
    AtomicReference<List<String>> ignored = new AtomicReference<>();
    ObjectNode r =
        TrustScenariosTest.run(
            Scenario.APPROVAL_EXPIRES_WHILE_WAITING,
            w -> {
              List<String> a = new ArrayList<>();
              w.auditLog
                  .entries()
                  .forEachRemaining(
                      e -> {
                        if (e.path("action").asText().equals("ApprovalsIgnored")) {
                          a.add(e.path("details").path("approvals_ignored").asText());
                        }
                      });
              ignored.set(a);
            });

    JsonNode a = TrustScenariosTest.artifact(r, COMMIT_A);
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(ignored.get()).hasSize(1);
    assertThat(ignored.get().get(0)).endsWith("=APPROVAL_EXPIRED");
    JsonNode executions = r.get("executions");
    // stage; prod from the release upload and after bob's approval, both awaiting approvals;
    // prod after alice's fresh approval.
    assertThat(executions).hasSize(4);
    assertThat(executions.get(2).path("states_visited").toString()).contains("AwaitingApprovals");
    assertThat(executions.get(3).path("status").asText()).isEqualTo("SUCCEEDED");
  }
}
