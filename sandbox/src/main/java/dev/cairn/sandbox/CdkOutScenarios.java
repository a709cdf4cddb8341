package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.local.emulators.CodeBuildEmulator.BuildOutcome;
import dev.cairn.sandbox.assembly.UserAssembly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scenarios {@code cairn sandbox run --cdk-out} plays on a user's own cloud assembly: the
 * assembly is published as CI would and promoted through the chain, and a scenario may make a
 * deploy, the stage tests or the prod smoke tests fail, to show the user's own stacks rolled back.
 */
final class CdkOutScenarios {

  /** The stack tag the second release adds, so that its change sets and its rollback change. */
  static final String RELEASE_TAG = "cairn:sandbox-release";

  private CdkOutScenarios() {}

  /** The script for {@code scenario} on {@code app}, or empty when it needs the example. */
  static Optional<ScenarioScript> script(Scenario scenario, UserAssembly app) {
    return Optional.ofNullable(
        switch (scenario) {
          case HAPPY -> c -> happy(c);
          case STAGE_DEPLOY_FAILS -> c -> stageDeployFails(c, app);
          case STAGE_TESTS_FAIL -> c -> stageTestsFail(c);
          case PROD_SMOKE_FAILS -> c -> smokeFailure(c, app, false);
          case ROLLBACK_EXHAUSTED -> c -> smokeFailure(c, app, true);
          default -> null;
        });
  }

  /** The scenarios a user's assembly can play. */
  static List<Scenario> supported() {
    return List.of(
        Scenario.HAPPY,
        Scenario.STAGE_DEPLOY_FAILS,
        Scenario.STAGE_TESTS_FAIL,
        Scenario.PROD_SMOKE_FAILS,
        Scenario.ROLLBACK_EXHAUSTED);
  }

  static void happy(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
  }

  /** The first environment's first stack fails as it executes (a resource handler's error). */
  static void stageDeployFails(ScenarioContext c, UserAssembly app) throws Exception {
    EnvironmentPolicy first = c.world().chain.environments().get(0);
    String stack = app.plan(first.name()).get(0).stackName();
    c.world()
        .cloudFormation
        .forAccount(first.account())
        .failNextExecution(
            stack,
            "Resource handler returned message: \"Rate exceeded\" (HandlerErrorCode: Throttling)");
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
  }

  static void stageTestsFail(ScenarioContext c) throws Exception {
    String project = c.world().chain.environments().get(0).testsProject();
    c.world()
        .codeBuild
        .runner((p, env) -> p.equals(project) ? BuildOutcome.FAILED : BuildOutcome.SUCCEEDED);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
  }

  /**
   * The assembly goes live as the first commit; a second commit (the same assembly with one more
   * stack tag on every stack, so every stack has a change to roll back) fails the last
   * environment's smoke tests and is rolled back to the first. {@code exhaust}: every rollback
   * deploy of the last environment's first stack fails too.
   */
  static void smokeFailure(ScenarioContext c, UserAssembly app, boolean exhaust) throws Exception {
    SandboxWorld w = c.world();
    List<EnvironmentPolicy> envs = w.chain.environments();
    EnvironmentPolicy last = envs.get(envs.size() - 1);
    String firstStack = app.plan(last.name()).get(0).stackName();
    w.codeBuild.runner(
        (project, env) -> {
          boolean failing =
              project.equals(last.testsProject()) && COMMIT_B.equals(env.get("CAIRN_COMMIT_SHA"));
          if (failing && exhaust) {
            w.cloudFormation
                .forAccount(last.account())
                .failNextExecutions(
                    firstStack, 10, "Resource handler returned message: \"Rate exceeded\"");
          }
          return failing ? BuildOutcome.FAILED : BuildOutcome.SUCCEEDED;
        });
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, CdkOutScenarios::secondRelease);
    c.candidateUploaded(COMMIT_B);
  }

  /**
   * Adds {@link #RELEASE_TAG} to the {@code tags} of every stack artifact, in every nested
   * assembly's {@code manifest.json}: CloudFormation applies stack tags to every resource, so each
   * stack's change set has changes, and so has the rollback's.
   */
  static void secondRelease(Path cdkOut) {
    try (var files = Files.walk(cdkOut)) {
      for (Path m :
          files.filter(p -> p.getFileName().toString().equals("manifest.json")).toList()) {
        ObjectNode manifest = (ObjectNode) Json.parse(Files.readAllBytes(m));
        boolean changed = false;
        for (var it = manifest.path("artifacts").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> a = it.next();
          if (a.getValue().path("type").asText().equals("aws:cloudformation:stack")) {
            ObjectNode props = (ObjectNode) a.getValue().path("properties");
            ObjectNode tags =
                props.path("tags").isObject()
                    ? (ObjectNode) props.get("tags")
                    : props.putObject("tags");
            tags.put(RELEASE_TAG, "2");
            changed = true;
          }
        }
        if (changed) {
          Files.writeString(m, Json.pretty(manifest));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
