package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One end-to-end test per self-healing scenario (sweeper, watchdog, finalizer): the production ASL,
 * local services.
 */
class SelfHealingScenariosTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  final List<dev.cairn.sandbox.metrics.EmfDocument> metrics = new ArrayList<>();

  ObjectNode run(Scenario s) throws Exception {
    return SandboxRun.run(
        new SandboxRun.Options(REPO, s, System.out), w -> metrics.addAll(w.emf.documents()));
  }

  static JsonNode subject(ObjectNode summary) {
    JsonNode artifacts = summary.get("artifacts");
    return artifacts.get(artifacts.size() - 1);
  }

  static List<String> names(JsonNode executions) {
    List<String> out = new ArrayList<>();
    executions.forEach(
        e -> out.add(e.path("environment").asText() + ":" + e.path("status").asText()));
    return out;
  }

  double metric(String name) {
    return metrics.stream().filter(d -> d.metric().equals(name)).mapToDouble(d -> d.value()).sum();
  }

  @Test
  void droppedEvent_sweeperStartsThePipelineWithinTwoSweeps() throws Exception {
    ObjectNode r = run(Scenario.DROPPED_EVENT);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/test_status").asText()).isEqualTo("test_passed");
    assertThat(names(r.get("executions"))).containsExactly("stage:SUCCEEDED", "prod:SUCCEEDED");
    List<String> events = new ArrayList<>();
    r.get("events").forEach(e -> events.add(e.asText()));
    assertThat(events).containsOnlyOnce("SweeperTriggered");
    assertThat(events).doesNotContain("StuckPipelineTerminated", "FinalizerCorrectedMetadata");
    assertThat(a.path("finalizer_ran").asBoolean()).isTrue();
    assertThat(a.path("execution_status").asText()).isEqualTo("succeeded");
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void stuckExecution_watchdogStopsAfter65MinutesRequeuesAndTheSweeperCompletesIt()
      throws Exception {
    ObjectNode r = run(Scenario.STUCK_EXECUTION);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(names(r.get("executions")))
        .containsExactly("stage:ABORTED", "stage:SUCCEEDED", "prod:SUCCEEDED");
    List<String> events = new ArrayList<>();
    r.get("events").forEach(e -> events.add(e.asText()));
    assertThat(events)
        .containsSubsequence("StuckPipelineTerminated", "SweeperCorrected", "SweeperTriggered");
    assertThat(events).doesNotContain("FinalizerCorrectedMetadata");
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void stuckInTests_watchdogStopsAfter65MinutesInFlightRequeuesTestsAndTheSweeperCompletesIt()
      throws Exception {
    ObjectNode r = run(Scenario.STUCK_IN_TESTS);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/stage/test_status").asText()).isEqualTo("test_passed");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/test_status").asText()).isEqualTo("test_passed");
    assertThat(names(r.get("executions")))
        .containsExactly("stage:ABORTED", "stage:SUCCEEDED", "prod:SUCCEEDED");
    List<String> events = new ArrayList<>();
    r.get("events").forEach(e -> events.add(e.asText()));
    assertThat(events)
        .containsSubsequence("StuckPipelineTerminated", "SweeperCorrected", "SweeperTriggered");
    assertThat(events).doesNotContain("FinalizerCorrectedMetadata", "TestsFailed");
    assertThat(r.toString()).contains("StuckPipelineTerminated");
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void finalizerCorrection_recordsTheDeployTheExecutionNeverRecorded() throws Exception {
    ObjectNode r = run(Scenario.FINALIZER_CORRECTION);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("candidate");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/stage/test_status").asText()).isEqualTo("not_tested");
    assertThat(a.path("execution_status").asText()).isEqualTo("failed");
    assertThat(a.path("finalizer_ran").asBoolean()).isTrue();
    assertThat(a.path("finalizer_correction_applied").asBoolean()).isTrue();
    assertThat(a.path("finalizer_corrected").asBoolean()).isTrue();
    assertThat(a.path("finalizer_corrected_at").asText()).isNotEmpty();
    assertThat(r.get("events").toString()).contains("FinalizerCorrectedMetadata");
    assertThat(metric("FinalizerCorrected")).isEqualTo(1.0);
    assertThat(names(r.get("executions"))).containsExactly("stage:FAILED");
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void finalizerReadsBuild_recordsTheBuildsResult() throws Exception {
    ObjectNode r = run(Scenario.FINALIZER_READS_BUILD);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("candidate");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/stage/test_status").asText()).isEqualTo("test_passed");
    assertThat(a.path("execution_status").asText()).isEqualTo("failed");
    assertThat(a.path("finalizer_corrected").asBoolean()).isTrue();
    assertThat(r.get("events").toString()).contains("FinalizerCorrectedMetadata");
    assertThat(metric("FinalizerCorrected")).isEqualTo(1.0);
    assertThat(names(r.get("executions"))).containsExactly("stage:FAILED");
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }
}
