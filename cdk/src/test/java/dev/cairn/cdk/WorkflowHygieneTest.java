package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The spec's GitHub Actions hardening, checked on every workflow file in .github/workflows. */
class WorkflowHygieneTest {

  static final YAMLMapper YAML = new YAMLMapper();
  static final String PINNED = "^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$";
  static List<Path> files;

  @BeforeAll
  static void list() throws IOException {
    try (Stream<Path> s = Files.list(TestApps.repoRoot().resolve(".github/workflows"))) {
      files = s.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList();
    }
    assertThat(files).as("workflow files").isNotEmpty();
  }

  @Test
  void noWorkflow_usesPullRequestTarget() throws IOException {
    for (Path f : files) {
      String code =
          Files.readAllLines(f).stream()
              .filter(l -> !l.stripLeading().startsWith("#"))
              .reduce("", (a, b) -> a + b + "\n");
      assertThat(code).as(f.toString()).doesNotContain("pull_request_target");
      assertThat(triggers(f).has("pull_request_target")).isFalse();
    }
  }

  @Test
  void workflows_triggerOnlyOnPushToMainAndWorkflowDispatch() throws IOException {
    for (Path f : files) {
      JsonNode on = triggers(f);
      Set<String> events = new TreeSet<>();
      on.fieldNames().forEachRemaining(events::add);
      assertThat(events).as(f.toString()).isSubsetOf(Set.of("push", "workflow_dispatch"));
      if (on.has("push")) {
        assertThat(on.at("/push/branches").toString()).as(f.toString()).isEqualTo("[\"main\"]");
        assertThat(on.get("push").has("tags")).isFalse();
      }
    }
  }

  @Test
  void everyUses_isPinnedToAFullCommitSha() throws IOException {
    for (Path f : files) {
      for (String uses : uses(read(f))) {
        if (!uses.startsWith("./")) {
          assertThat(uses).as("%s: %s", f.getFileName(), uses).matches(PINNED);
        }
      }
    }
  }

  @Test
  void permissions_declaredAtTopAndPerJob_leastPrivilege() throws IOException {
    for (Path f : files) {
      JsonNode wf = read(f);
      assertThat(wf.has("permissions")).as("%s top-level permissions", f).isTrue();
      assertThat(wf.get("permissions").isObject() && wf.get("permissions").isEmpty())
          .as("%s top-level permissions: {}", f)
          .isTrue();
      var jobs = wf.get("jobs").fields();
      while (jobs.hasNext()) {
        var job = jobs.next();
        JsonNode perms = job.getValue().get("permissions");
        assertThat(perms).as("%s job %s permissions", f, job.getKey()).isNotNull();
        assertThat(perms.isTextual()).as("no read-all/write-all").isFalse();
        boolean assumesAws =
            uses(job.getValue()).stream()
                .anyMatch(u -> u.startsWith("aws-actions/configure-aws-credentials@"));
        if (perms.has("id-token")) {
          assertThat(assumesAws)
              .as("%s job %s: id-token only where OIDC is used", f, job.getKey())
              .isTrue();
        }
        perms
            .fields()
            .forEachRemaining(
                p -> {
                  if (!p.getKey().equals("id-token")) {
                    assertThat(p.getValue().asText())
                        .as("%s %s", job.getKey(), p.getKey())
                        .isEqualTo("read");
                  }
                });
      }
    }
  }

  @Test
  void awsCredentials_comeFromOidc_with15MinuteSessions() throws IOException {
    int seen = 0;
    for (Path f : files) {
      for (JsonNode step : steps(read(f))) {
        if (step.path("uses").asText().startsWith("aws-actions/configure-aws-credentials@")) {
          seen++;
          JsonNode with = step.get("with");
          assertThat(with.has("role-to-assume")).isTrue();
          assertThat(with.get("role-to-assume").asText()).endsWith(":role/cdk-ci-artifact-builder");
          assertThat(with.path("role-duration-seconds").asInt(Integer.MAX_VALUE))
              .isLessThanOrEqualTo(900);
          assertThat(with.has("aws-access-key-id")).isFalse();
          assertThat(with.has("aws-secret-access-key")).isFalse();
        }
      }
    }
    assertThat(seen).isPositive();
  }

  @Test
  void ciWorkflow_runsTheSpecSteps() throws IOException {
    String ci = Files.readString(TestApps.repoRoot().resolve(".github/workflows/cairn-ci.yml"));
    assertThat(ci)
        .contains("context fetch")
        .contains("context check-not-committed")
        .contains("cdk\" synth")
        .contains("manifest create")
        .contains("manifest sign")
        .contains("cairn.jar publish");
  }

  @Test
  void shellSteps_neverInterpolateExpressionsOrSecrets() throws IOException {
    for (Path f : files) {
      assertThat(Files.readString(f)).as(f.toString()).doesNotContain("secrets.");
      for (JsonNode step : steps(read(f))) {
        if (step.has("run")) {
          assertThat(step.get("run").asText())
              .as("%s: %s", f.getFileName(), step.path("name").asText())
              .doesNotContain("${{");
        }
      }
    }
  }

  private static JsonNode read(Path f) throws IOException {
    return YAML.readTree(f.toFile());
  }

  private static JsonNode triggers(Path f) throws IOException {
    JsonNode wf = read(f);
    JsonNode on = wf.has("on") ? wf.get("on") : wf.get("true");
    assertThat(on).as("%s has triggers", f).isNotNull();
    return on;
  }

  private static List<JsonNode> steps(JsonNode workflow) {
    List<JsonNode> out = new ArrayList<>();
    workflow.path("jobs").forEach(job -> job.path("steps").forEach(out::add));
    return out;
  }

  private static List<String> uses(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("uses") && e.getValue().isTextual()) {
                  out.add(e.getValue().asText());
                } else {
                  collect(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }
}
