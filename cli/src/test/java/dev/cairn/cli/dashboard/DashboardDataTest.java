package dev.cairn.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline and the interventions list, on constructed audit entries. */
class DashboardDataTest {

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  static final String EXECUTION =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:orders-0123456-prod";

  static ObjectNode entry(long sequence, String action, String actorRole, String actorId) {
    ObjectNode e = Json.object();
    e.put("sequence", sequence);
    e.put("timestamp", "2026-11-22T09:0" + sequence + ":00Z");
    e.put("action", action);
    e.putObject("actor").put("role", actorRole).put("id", actorId);
    e.putObject("artifact").put("service", "orders").put("commit_sha", COMMIT);
    e.putArray("changes");
    e.putObject("details");
    return e;
  }

  @Test
  void timeline_carriesTheCorrelationKeys_andTheRunbooksQueries() {
    ObjectNode lease = entry(7, "LeaseAcquired", "pipeline", EXECUTION);
    lease
        .withArray("changes")
        .addObject()
        .put("field", "environment_states.prod.status")
        .put("from", "pending")
        .put("to", "deploying");
    ObjectNode refused = entry(8, "OverrideRefused", "operator", "ops-alice@example");
    refused.with("details").put("environment", "stage").put("failure_code", "OVERRIDE_EXPIRED");

    JsonNode t = DashboardData.timelines(List.of(lease, refused)).path("orders@" + COMMIT);

    assertThat(t.size()).isEqualTo(2);
    JsonNode keys = t.get(0).path("correlation");
    // The environment a transition is about comes from the field it changes.
    assertThat(keys.path("environment").asText()).isEqualTo("prod");
    // A pipeline step's execution is its actor.
    assertThat(keys.path("execution_id").asText()).isEqualTo(EXECUTION);
    assertThat(keys.path("audit_sequence").asLong()).isEqualTo(7);
    assertThat(t.get(0).at("/queries/audit_entry").asText())
        .isEqualTo(
            "fields @timestamp, function_name, function_request_id, message, audit_action\n"
                + "| filter audit_sequence = \"7\"");
    assertThat(t.get(0).at("/queries/execution").asText())
        .contains("| filter execution_id = \"" + EXECUTION + "\"");
    // An operator's entry names its environment in details and has no execution to query.
    assertThat(t.get(1).at("/correlation/environment").asText()).isEqualTo("stage");
    assertThat(t.get(1).at("/correlation/execution_id").isNull()).isTrue();
    assertThat(t.get(1).at("/queries/execution").isMissingNode()).isTrue();
    assertThat(t.get(1).path("failure_code").asText()).isEqualTo("OVERRIDE_EXPIRED");
  }

  @Test
  void interventions_listOverridesBreakGlassAndApprovals_only() {
    List<JsonNode> entries =
        List.of(
            entry(1, "ArtifactPublished", "ci", "ci"),
            entry(2, "OverrideRequested", "operator", "ops-alice@example"),
            entry(3, "BreakGlassConsumed", "pipeline", EXECUTION),
            entry(4, "ApprovalRecorded", "operator", "ops-bob@example"),
            entry(5, "ArtifactPromoted", "pipeline", EXECUTION));

    JsonNode list = DashboardData.interventions(entries);

    assertThat(list.size()).isEqualTo(3);
    assertThat(list.findValuesAsText("kind"))
        .containsExactly("override", "break-glass", "approval");
    assertThat(list.get(0).path("audit_sequence").asLong()).isEqualTo(2);
  }

  @Test
  void queries_areTheRunbooks() throws Exception {
    // The page's queries must be the ones docs/runbooks/logs.md documents, word for word.
    String runbook =
        java.nio.file.Files.readString(java.nio.file.Path.of("../docs/runbooks/logs.md"));
    assertThat(runbook)
        .contains(DashboardData.auditSequenceQuery(1042))
        .contains(
            DashboardData.executionQuery(
                "arn:aws:states:us-east-1:111111111111:execution:DeployArtifactPipeline:s3-1"));
  }
}
