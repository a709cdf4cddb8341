package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One end-to-end test per scenario: the production ASL, the real handlers, local services. */
class SandboxScenariosTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  static ObjectNode run(Scenario s) throws Exception {
    return SandboxRun.run(new SandboxRun.Options(REPO, s, System.out));
  }

  static JsonNode subject(ObjectNode summary) {
    JsonNode artifacts = summary.get("artifacts");
    return artifacts.get(artifacts.size() - 1);
  }

  @Test
  void happy_promotesAndDeploysProdWithPassedSmokeTests() throws Exception {
    ObjectNode r = run(Scenario.HAPPY);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/stage/test_status").asText()).isEqualTo("test_passed");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/test_status").asText()).isEqualTo("test_passed");
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
    assertThat(r.get("events").toString()).contains("ArtifactPromoted", "ArtifactDeployed");
  }
}
