package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.HistoryEvent;
import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.CloudFormationEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPlaneOverheadTest {

  private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  private static final String DEFINITION =
      """
      {"StartAt": "Deploy", "States": {
        "Deploy": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Tests"},
        "Tests": {"Type": "Task", "Resource": "arn:aws:states:::codebuild:startBuild.sync", "Next": "StartBake"},
        "StartBake": {"Type": "Pass", "Next": "CheckAlarms"},
        "BakePeriod": {"Type": "Wait", "Seconds": 60, "Next": "CheckAlarms"},
        "CheckAlarms": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"Payload": {"action": "check_alarms"}}, "Next": "AlarmsQuiet"},
        "AlarmsQuiet": {"Type": "Choice", "Choices": [], "Default": "Done"},
        "Done": {"Type": "Succeed"}
      }}
      """;

  private final List<HistoryEvent> history = new ArrayList<>();

  @Test
  void overhead_isTheTimeNotCoveredByCloudFormationTheTestBuildOrTheBake() throws Exception {
    event(0, "ExecutionStarted", "");
    state(0, "Task", "Deploy", "lambda", 0);
    state(0, "Wait", "Wait", null, 30);
    state(30, "Task", "Tests", "codebuild", 50);
    state(50, "Pass", "StartBake", null, 50);
    state(50, "Task", "CheckAlarms", "lambda", 50);
    state(50, "Wait", "BakePeriod", null, 110);
    state(110, "Task", "CheckAlarms", "lambda", 110);
    state(110, "Choice", "AlarmsQuiet", null, 110);
    event(112, "ExecutionSucceeded", "");
    // CloudFormation from 5 s to 25 s, and a second operation overlapping it: 20 s in all.
    List<CloudFormationEmulator.Operation> cfn =
        List.of(
            new CloudFormationEmulator.Operation("s", "ExecuteChangeSet", at(5), at(25)),
            new CloudFormationEmulator.Operation("s", "CreateChangeSet", at(10), at(20)));

    ObjectNode f = ControlPlaneOverhead.of(history, definition(), cfn);

    assertThat(f.path("duration_seconds").asDouble()).isEqualTo(112.0);
    assertThat(f.path("cloudformation_seconds").asDouble()).isEqualTo(20.0);
    assertThat(f.path("test_build_seconds").asDouble()).isEqualTo(20.0);
    assertThat(f.path("bake_seconds").asDouble()).isEqualTo(60.0);
    // 112 - 20 - 20 - 60: the 10 s of the wait not covered by CloudFormation, and the last 2 s.
    assertThat(f.path("overhead_seconds").asDouble()).isEqualTo(12.0);
    assertThat(f.path("state_transitions").asInt()).isEqualTo(8);
    assertThat(f.path("lambda_invocations").asInt()).isEqualTo(3);
    assertThat(f.path("deploy_state_transitions").asInt()).isEqualTo(3);
    assertThat(f.path("deploy_lambda_invocations").asInt()).isEqualTo(1);
  }

  private JsonNode definition() throws Exception {
    return Json.parse(DEFINITION.getBytes(StandardCharsets.UTF_8));
  }

  private void state(int in, String type, String name, String resourceType, int out) {
    event(in, type + "StateEntered", name);
    if (resourceType != null) {
      ObjectNode d = Json.object();
      d.put("resourceType", resourceType);
      add(in, "TaskScheduled", d);
    }
    event(out, type + "StateExited", name);
  }

  private void event(int second, String type, String name) {
    ObjectNode d = Json.object();
    if (!name.isEmpty()) {
      d.put("name", name);
    }
    add(second, type, d);
  }

  private void add(int second, String type, ObjectNode details) {
    long id = history.size() + 1L;
    history.add(new HistoryEvent(id, id - 1, at(second), type, details));
  }

  private static Instant at(int second) {
    return T0.plusSeconds(second);
  }
}
