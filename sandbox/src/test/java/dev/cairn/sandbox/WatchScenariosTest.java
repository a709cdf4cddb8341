package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The final environment's alarm windows, end to end on the synthesized control plane. */
class WatchScenariosTest {

  static List<String> auditEntries(SandboxWorld w) {
    List<String> out = new ArrayList<>();
    // Details are stored as JSON text inside the entry: compare without the escaping.
    w.auditLog.entries().forEachRemaining(e -> out.add(e.toString().replace("\\", "")));
    return out;
  }

  static JsonNode prodExecutionOf(ObjectNode r, String commit) {
    JsonNode last = null;
    for (JsonNode x : r.get("executions")) {
      if (x.path("environment").asText().equals("prod")) {
        last = x;
      }
    }
    return last;
  }

  @Test
  void bakeAlarmFlaps_alarmRecoveredBeforeTheNextLook_stillRollsBack() throws Exception {
    List<String> audit = new ArrayList<>();
    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(
                SandboxScenariosTest.REPO, Scenario.BAKE_ALARM_FLAPS, System.out),
            w -> audit.addAll(auditEntries(w)));

    JsonNode good = r.get("artifacts").get(0);
    JsonNode bad = SandboxScenariosTest.subject(r);
    assertThat(bad.path("status").asText()).isEqualTo("rollback_succeeded");
    assertThat(bad.at("/environment_states/prod/status").asText()).isEqualTo("rollback_succeeded");
    assertThat(bad.at("/environment_states/prod/test_status").asText()).isEqualTo("test_failed");
    assertThat(bad.path("last_known_good_commit").asText())
        .isEqualTo(good.path("commit_sha").asText());
    assertThat(good.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    JsonNode prod = prodExecutionOf(r, bad.path("commit_sha").asText());
    assertThat(prod.path("states_visited").toString())
        .contains("\"BakePeriod\"", "\"AlarmsFired\"", "\"RecordBakeFailed\"")
        .doesNotContain("\"MarkDeployed\"");
    assertThat(r.get("events").toString()).contains("RollbackSucceeded");
    // Both transitions are in the bake's audit entry.
    assertThat(audit)
        .anyMatch(
            e ->
                e.contains("AlarmWindowChecked")
                    && e.contains("hello-prod-5xx")
                    && e.contains("\"old_state\":\"OK\",\"new_state\":\"ALARM\"")
                    && e.contains("\"old_state\":\"ALARM\",\"new_state\":\"OK\""));
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void postDeployWatch_alarmBreachesFiveMinutesIn_rollsBack() throws Exception {
    List<String> audit = new ArrayList<>();
    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(
                SandboxScenariosTest.REPO, Scenario.POST_DEPLOY_WATCH, System.out),
            w -> audit.addAll(auditEntries(w)));

    JsonNode good = r.get("artifacts").get(0);
    JsonNode bad = SandboxScenariosTest.subject(r);
    assertThat(bad.path("status").asText()).isEqualTo("rollback_succeeded");
    assertThat(bad.at("/environment_states/prod/status").asText()).isEqualTo("rollback_succeeded");
    assertThat(bad.at("/environment_states/prod/test_status").asText()).isEqualTo("test_failed");
    assertThat(good.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(good.at("/environment_states/prod/test_status").asText()).isEqualTo("test_passed");
    JsonNode prod = prodExecutionOf(r, bad.path("commit_sha").asText());
    String visited = prod.path("states_visited").toString();
    assertThat(visited)
        .contains(
            "\"StartPostDeployWatch\"",
            "\"PostDeployAlarmsFired\"",
            "\"RecordPostDeployWatchFailed\"")
        .doesNotContain("\"MarkDeployed\"");
    // Looks at 0, 1, ..., 5 minutes: the sixth look sees the breach.
    assertThat(count(prod.path("states_visited"), "CheckPostDeployAlarms")).isEqualTo(6);
    assertThat(r.get("events").toString()).contains("RollbackSucceeded");
    assertThat(audit)
        .anyMatch(
            e ->
                e.contains("AlarmWindowChecked")
                    && e.contains("post_deploy_watch")
                    && e.contains("\"old_state\":\"OK\",\"new_state\":\"ALARM\""));
  }

  static int count(JsonNode states, String name) {
    int n = 0;
    for (JsonNode s : states) {
      n += s.asText().equals(name) ? 1 : 0;
    }
    return n;
  }
}
