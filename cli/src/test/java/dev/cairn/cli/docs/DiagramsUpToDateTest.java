package dev.cairn.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's diagrams and docs/pipeline-states.md are drawn from the production ASL by {@code
 * docs/diagrams/asl-to-mermaid.mjs}: a state added, renamed or rewired without regenerating them
 * fails here.
 */
class DiagramsUpToDateTest {

  static final Path REPO = Documentation.repo();

  @Test
  void diagrams_matchTheProductionAsl() throws Exception {
    Process p =
        new ProcessBuilder("node", "docs/diagrams/asl-to-mermaid.mjs", "--check")
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void pipelineStates_drawsEveryStateOfTheAsl() throws Exception {
    String asl = Files.readString(REPO.resolve("statemachines/deploy-artifact-pipeline.asl.json"));
    String drawn = Files.readString(REPO.resolve("docs/pipeline-states.md"));
    var states = dev.cairn.core.json.Json.parse(asl.getBytes(StandardCharsets.UTF_8)).get("States");
    states
        .fieldNames()
        .forEachRemaining(name -> assertThat(drawn).containsPattern("\n  " + name + "[\\[{(>]"));
  }
}
