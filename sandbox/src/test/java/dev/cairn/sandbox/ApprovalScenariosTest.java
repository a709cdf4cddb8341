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
}
