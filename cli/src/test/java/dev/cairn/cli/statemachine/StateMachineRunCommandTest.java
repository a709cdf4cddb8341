package dev.cairn.cli.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.asl.Asl;
import dev.cairn.cli.CairnCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StateMachineRunCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = CairnCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path write(String name, String json) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, json.replace('\'', '"'));
    return p;
  }

  private JsonNode jsonOut() {
    return Asl.parse(out.toString().trim());
  }

  @Test
  void run_succeeded_printsOneJsonObjectAndExitsZero() throws IOException {
    Path def =
        write(
            "m.asl.json",
            "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':3600,'Next':'P'},"
                + "'P':{'Type':'Pass','Parameters':{'v.$':'$.a'},'End':true}}}");
    int code =
        run(
            "statemachine",
            "run",
            "--definition",
            def.toString(),
            "--input",
            "{\"a\":1}",
            "--format",
            "json");
    assertThat(code).isZero();
    assertThat(jsonOut())
        .isEqualTo(
            Asl.parse(
                "{\"status\":\"SUCCEEDED\",\"output\":{\"v\":1},\"error\":null,\"cause\":null}"));
  }

  @Test
  void run_failed_reportsErrorAndCauseAndExitsOne_withHistory() throws IOException {
    Path def =
        write("f.json", "{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'E','Cause':'C'}}}");
    Path input = write("in.json", "{'x':true}");
    int code =
        run(
            "statemachine",
            "run",
            "-d",
            def.toString(),
            "--input=@" + input,
            "--format",
            "json",
            "--history");
    assertThat(code).as(err + "|" + out).isEqualTo(1);
    JsonNode o = jsonOut();
    assertThat(o.get("status").asText()).isEqualTo("FAILED");
    assertThat(o.get("output").isNull()).isTrue();
    assertThat(o.get("error").asText()).isEqualTo("E");
    assertThat(o.get("cause").asText()).isEqualTo("C");
    assertThat(o.get("history").get(0).get("type").asText()).isEqualTo("ExecutionStarted");
  }

  @Test
  void run_inputFileOption_readsJsonFile() throws IOException {
    Path def = write("p.json", "{'StartAt':'P','States':{'P':{'Type':'Pass','End':true}}}");
    Path input = write("in2.json", "{\n  'name': 'multi line'\n}");
    assertThat(
            run(
                "statemachine",
                "run",
                "-d",
                def.toString(),
                "--input-file",
                input.toString(),
                "--format",
                "json"))
        .isZero();
    assertThat(jsonOut().at("/output/name").asText()).isEqualTo("multi line");
  }

  @Test
  void run_timedOut_exitsOne() throws IOException {
    Path def =
        write(
            "t.json",
            "{'TimeoutSeconds':5,'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':10,'End':true}}}");
    assertThat(run("statemachine", "run", "-d", def.toString(), "--format", "json")).isEqualTo(1);
    assertThat(jsonOut().get("status").asText()).isEqualTo("TIMED_OUT");
  }

  @Test
  void run_invalidDefinition_exitsTwo() throws IOException {
    Path def = write("bad.json", "{'StartAt':'A','States':{'A':{'Type':'Pass','Next':'Nowhere'}}}");
    assertThat(run("statemachine", "run", "-d", def.toString(), "--format", "json")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown state 'Nowhere'");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void run_usageErrors_exitTwo() throws IOException {
    Path def = write("ok.json", "{'StartAt':'A','States':{'A':{'Type':'Succeed'}}}");
    assertThat(run("statemachine", "run", "-d", def.toString(), "--input", "{nope")).isEqualTo(2);
    assertThat(run("statemachine", "run", "-d", def.toString(), "--test-case", "X")).isEqualTo(2);
    assertThat(run("statemachine", "run")).isEqualTo(2);
    assertThat(run("statemachine", "run", "-d", dir.resolve("missing.json").toString()))
        .isEqualTo(2);
  }

  @Test
  void run_productionDefinition_withMockConfigTestCase_andSubstitutions() {
    Path def = Path.of("..", "statemachines", "deploy-artifact-pipeline.asl.json");
    Path mocks =
        Path.of(
            "..",
            "statemachines",
            "executor",
            "src",
            "test",
            "resources",
            "dev",
            "cairn",
            "asl",
            "DeployArtifactPipeline.mock-config.json");
    int code =
        run(
            "statemachine",
            "run",
            "-d",
            def.toString(),
            "--input",
            "{\"service\":\"orders\",\"commit_sha\":\"4f2a9c1\",\"environment\":\"prod\","
                + "\"trigger\":\"s3\",\"bucket\":\"b\",\"manifest_key\":\"k\"}",
            "--mock-config",
            mocks.toString(),
            "--test-case",
            "RollbackExhausted",
            "-s",
            "MaxRollbackAttempts=2",
            "--start-time",
            "2026-01-01T00:00:00Z");
    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .contains(
            "RollbackBackoff", "PublishCriticalAlert", "status: FAILED", "error:  RollbackFailed");
  }

  @Test
  void run_taskWithoutMock_failsClearly() throws IOException {
    Path def =
        write(
            "task.json",
            "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'arn:aws:states:::sns:publish','End':true}}}");
    assertThat(run("statemachine", "run", "-d", def.toString(), "--format", "json")).isEqualTo(1);
    assertThat(jsonOut().get("cause").asText()).contains("No mocked response and no handler");
  }

  @Test
  void help_showsExamples() {
    assertThat(run("statemachine", "run", "--help")).isZero();
    assertThat(out.toString()).contains("--mock-config", "--test-case", "Examples:", "${KEY}");
  }
}
