package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The sandbox runs what CDK synthesized, so a wiring defect in the templates fails a scenario and
 * names itself. Each test breaks one thing in the synthesized control plane (the rule's input, a
 * grant, an alarm's dimensions, a function's timeout) and runs a scenario on it.
 */
class WiringBreaksTest {

  static final Path REPO = SandboxScenariosTest.REPO;
  static final String CONTROL_PLANE = "CairnControlPlane.template.json";

  /** The synthesized assembly with one template edited. */
  static ControlPlaneAssembly broken(String templateFile, Consumer<ObjectNode> edit) {
    ControlPlaneAssembly.Source base = ControlPlaneAssembly.Source.classpath();
    return ControlPlaneAssembly.load(
        file -> {
          byte[] bytes = base.read(file);
          if (!file.equals(templateFile)) {
            return bytes;
          }
          ObjectNode template = (ObjectNode) Json.parse(bytes);
          edit.accept(template);
          return Json.compact(template).getBytes(StandardCharsets.UTF_8);
        });
  }

  /** The resource whose logical id starts with {@code prefix}. */
  static ObjectNode resource(ObjectNode template, String prefix) {
    for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> r = it.next();
      if (r.getKey().startsWith(prefix)) {
        return (ObjectNode) r.getValue();
      }
    }
    throw new AssertionError("no resource " + prefix + "*");
  }

  static ObjectNode run(Scenario s, ControlPlaneAssembly assembly) throws Exception {
    return SandboxRun.run(new SandboxRun.Options(REPO, s, null), w -> {}, assembly);
  }

  @Test
  void ruleWithoutInputTransformer_failsTheFirstExecutionAtTheManifestKey() throws Exception {
    ObjectNode r =
        run(
            Scenario.HAPPY,
            broken(
                CONTROL_PLANE,
                t ->
                    ((ObjectNode) resource(t, "ManifestUploadedRule").at("/Properties/Targets/0"))
                        .remove("InputTransformer")));

    JsonNode first = r.at("/executions/0");
    assertThat(first.path("status").asText()).isEqualTo("FAILED");
    assertThat(first.path("error").asText()).isIn("States.Runtime", "States.IntrinsicFailure");
    assertThat(first.path("cause").asText()).contains("manifest_key");
    assertThat(r.at("/triggers/0/rule").asText()).startsWith("ManifestUploadedRule");
  }

  @Test
  void verifierWithoutItsEvidenceGrant_isDeniedByIam_namingPrincipalActionAndResource()
      throws Exception {
    ObjectNode r =
        run(
            Scenario.HAPPY,
            broken(
                CONTROL_PLANE,
                t -> {
                  ArrayNode statements =
                      (ArrayNode)
                          resource(t, "ManifestVerifierRoleDefaultPolicy")
                              .at("/Properties/PolicyDocument/Statement");
                  for (int i = statements.size() - 1; i >= 0; i--) {
                    if (statements.get(i).path("Action").toString().contains("s3:PutObject")) {
                      statements.remove(i);
                    }
                  }
                }));

    assertThat(r.at("/iam/denied"))
        .anySatisfy(
            d -> {
              assertThat(d.path("principal").asText())
                  .endsWith(":role/cairn-manifest-verifier-lambda");
              assertThat(d.path("action").asText()).isEqualTo("s3:PutObject");
              assertThat(d.path("resource").asText()).contains("/cairn-evidence/");
              assertThat(d.path("statement").asText()).isNotBlank();
            });
  }

  @Test
  void alarmOnDimensionsTheMetricsDoNotCarry_neverFires() throws Exception {
    JsonNode intact = alarm(run(Scenario.STAGE_TESTS_FAIL, ControlPlaneAssembly.fromClasspath()));
    assertThat(intact.path("state").asText())
        .as("the synthesized TestFailureRate alarm after one failed stage test")
        .isEqualTo("ALARM");

    JsonNode blind =
        alarm(
            run(
                Scenario.STAGE_TESTS_FAIL,
                broken(
                    CONTROL_PLANE,
                    t ->
                        ((ObjectNode)
                                resource(t, "TestFailureRateAlarm").at("/Properties/Dimensions/0"))
                            .put("Value", "not-what-the-adapter-writes"))));
    assertThat(blind.path("state").asText()).isNotEqualTo("ALARM");
  }

  private static JsonNode alarm(ObjectNode r) {
    for (JsonNode a : r.path("alarms")) {
      if (a.path("name").asText().contains("TestFailureRate")) {
        return a;
      }
    }
    throw new AssertionError("no TestFailureRate alarm in " + r.path("alarms"));
  }

  /** The second release's prod deploy checks drift on live stacks (about 30 s per stack). */
  @Test
  void deployerTimeoutShorterThanItsWork_failsAsALambdaTimeout() throws Exception {
    ObjectNode r =
        run(
            Scenario.PROD_SMOKE_FAILS,
            broken(
                CONTROL_PLANE,
                t ->
                    ((ObjectNode) resource(t, "DeployerFunction").path("Properties"))
                        .put("Timeout", 20)));

    assertThat(r.path("executions").toString())
        .contains("Lambda.Unknown")
        .contains("Task timed out after 20.00 seconds");
  }
}
