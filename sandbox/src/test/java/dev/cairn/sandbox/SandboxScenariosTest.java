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
    assertThat(r.at("/audit/entries").asInt()).isPositive();
    assertThat(r.at("/audit/head_hash").asText()).matches("[0-9a-f]{64}");
    assertThat(r.get("events").toString()).contains("ArtifactPromoted", "ArtifactDeployed");
    // The verifier accepted (every gate, gate 8 included) before each lease.
    assertThat(a.path("integrity_verified").asBoolean()).isTrue();
    assertThat(a.path("asset_verification_passed").asBoolean()).isTrue();
    assertThat(metric(r, "RollbackFailureRate")).isEmpty();
  }

  @Test
  void happy_deployLatencyOfProd_isProdDeployedMinusTheSignedCommitTime() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> commitTime =
        new java.util.concurrent.atomic.AtomicReference<>();
    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(REPO, Scenario.HAPPY, System.out),
            w -> {
              var key = w.published.get(w.published.size() - 1);
              try {
                byte[] m =
                    w.store
                        .readManifest(
                            SandboxWorld.CANDIDATE, key.service(), key.commitSha(), 1 << 20)
                        .orElseThrow();
                commitTime.set(
                    ((dev.cairn.core.manifest.ManifestParser.Result.Parsed)
                            dev.cairn.core.manifest.ManifestParser.parse(m))
                        .manifest()
                        .commitTime());
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });

    JsonNode a = subject(r);
    java.time.Instant deployed =
        java.time.Instant.parse(a.at("/environment_states/prod/deploy_completed_at").asText());
    java.time.Instant committed = java.time.Instant.parse(commitTime.get());
    assertThat(
            java.time.Duration.between(
                committed, java.time.Instant.parse(a.path("build_time").asText())))
        .isEqualTo(SandboxWorld.COMMIT_TO_BUILD);
    java.util.List<Double> prod = new java.util.ArrayList<>();
    for (JsonNode m : r.path("metrics")) {
      if (m.path("metric").asText().equals("DeployLatency")
          && m.at("/dimensions/Environment").asText().equals("prod")) {
        prod.add(m.path("value").asDouble());
      }
    }
    assertThat(prod)
        .containsExactly((double) java.time.Duration.between(committed, deployed).toSeconds());
  }

  /** The values of one metric in the run's captured EMF, in order. */
  static java.util.List<Double> metric(ObjectNode summary, String name) {
    java.util.List<Double> values = new java.util.ArrayList<>();
    for (JsonNode m : summary.path("metrics")) {
      if (m.path("metric").asText().equals(name)) {
        values.add(m.path("value").asDouble());
      }
    }
    return values;
  }

  static JsonNode calls(ObjectNode summary, String env) {
    return summary.at("/cloudformation_calls/" + env);
  }

  @Test
  void tampered_isRejectedBeforeAnyChangeSet() throws Exception {
    ObjectNode r = run(Scenario.TAMPERED);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("rejected");
    assertThat(r.get("events").toString()).contains("InvalidArtifact");
    assertThat(calls(r, "stage").path("CreateChangeSet").asInt(0)).isZero();
    assertThat(calls(r, "prod").path("CreateChangeSet").asInt(0)).isZero();
    assertThat(r.at("/executions/0/states_visited").toString()).contains("RecordInvalidArtifact");
    // The verifier rejected: integrity_verified false, not the true of a fresh candidate.
    assertThat(a.path("integrity_verified").isBoolean()).isTrue();
    assertThat(a.path("integrity_verified").asBoolean()).isFalse();
    assertThat(r.at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void stageDeployFails_recordsFailedAndKeepsCandidate() throws Exception {
    ObjectNode r = run(Scenario.STAGE_DEPLOY_FAILS);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("candidate");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("failed");
    assertThat(r.get("events").toString()).contains("DeployFailed");
    assertThat(r.get("executions")).hasSize(1);
  }

  @Test
  void stageTestsFail_rejectsTheArtifact() throws Exception {
    ObjectNode r = run(Scenario.STAGE_TESTS_FAIL);

    JsonNode a = subject(r);
    assertThat(a.path("status").asText()).isEqualTo("rejected");
    assertThat(a.at("/environment_states/stage/test_status").asText()).isEqualTo("test_failed");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("not_deployed");
  }

  @Test
  void prodSmokeFails_rollsBackToTheGoodCommit() throws Exception {
    java.util.Map<String, String> deployed = new java.util.HashMap<>();
    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(REPO, Scenario.PROD_SMOKE_FAILS, System.out),
            w -> {
              var prod = w.cloudFormation.forAccount(SandboxWorld.PROD_ACCOUNT);
              for (String stack : new String[] {"hello-prod-data", "hello-prod-api"}) {
                deployed.put(stack, prod.deployedTemplate(stack).orElseThrow());
              }
            });

    // The good commit's stacks are back: prod runs exactly commit A's templates.
    for (var e : deployed.entrySet()) {
      JsonNode good =
          dev.cairn.core.json.Json.parse(
              java.nio.file.Files.readAllBytes(
                  REPO.resolve("examples/hello-service/cdk.out/" + e.getKey() + ".template.json")));
      assertThat(dev.cairn.core.json.Json.parse(e.getValue())).as(e.getKey()).isEqualTo(good);
    }

    JsonNode good = r.get("artifacts").get(0);
    JsonNode bad = subject(r);
    assertThat(bad.path("status").asText()).isEqualTo("rollback_succeeded");
    assertThat(bad.at("/environment_states/prod/status").asText()).isEqualTo("rollback_succeeded");
    assertThat(bad.at("/environment_states/prod/test_status").asText()).isEqualTo("test_failed");
    assertThat(bad.path("last_known_good_commit").asText())
        .isEqualTo(good.path("commit_sha").asText());
    assertThat(good.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(r.get("events").toString()).contains("RollbackSucceeded");
    // First attempt at once, and it succeeded: one wait of 0 s, one successful attempt.
    assertThat(bad.path("rollback_backoff_schedule").toString()).isEqualTo("[0]");
    assertThat(metric(r, "RollbackFailureRate")).containsExactly(0.0);
  }

  @Test
  void rollbackExhausted_needsManualIntervention() throws Exception {
    ObjectNode r = run(Scenario.ROLLBACK_EXHAUSTED);

    JsonNode bad = subject(r);
    assertThat(bad.path("status").asText()).isEqualTo("rollback_failed");
    assertThat(bad.path("rollback_attempts_exhausted").asBoolean()).isTrue();
    assertThat(bad.path("manual_intervention_required").asBoolean()).isTrue();
    assertThat(bad.path("rollback_attempts").asInt()).isEqualTo(2);
    assertThat(r.get("events").toString()).contains("RollbackFailed");
    // The waits taken (none before the first attempt, 60 s before the second), and one failed
    // datum per attempt.
    assertThat(bad.path("rollback_backoff_schedule").toString()).isEqualTo("[0,60]");
    assertThat(metric(r, "RollbackFailureRate")).containsExactly(1.0, 1.0);
    // Why the rollback failed (its deployment of the good commit), not the smoke-test build that
    // started it.
    assertThat(bad.path("rollback_failure_reason").asText())
        .startsWith("RollbackDeployFailed: hello-prod-data")
        .contains("Rate exceeded")
        .doesNotContain("hello-prod-smoke-tests");
  }

  @Test
  void prodDrift_abortsBeforeAnyProdChangeSetRuns() throws Exception {
    ObjectNode r = run(Scenario.PROD_DRIFT);

    JsonNode bad = subject(r);
    assertThat(bad.path("stack_drift_detected").asBoolean()).isTrue();
    assertThat(bad.at("/environment_states/prod/status").asText()).isEqualTo("failed");
    // Only the first (good) commit's prod deploy executed change sets.
    assertThat(calls(r, "prod").path("ExecuteChangeSet").asInt()).isEqualTo(2);
    assertThat(r.get("events").toString()).contains("DeployFailed");
  }

  @Test
  void duplicateEvent_deploysExactlyOnce() throws Exception {
    ObjectNode r = run(Scenario.DUPLICATE_EVENT);

    assertThat(subject(r).at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(calls(r, "stage").path("ExecuteChangeSet").asInt()).isEqualTo(2);
    long duplicates = 0;
    for (JsonNode e : r.get("executions")) {
      if (e.get("states_visited").toString().contains("DuplicateExecutionIgnored")) {
        duplicates++;
      }
    }
    assertThat(duplicates).isEqualTo(2);
  }
}
