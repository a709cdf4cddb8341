package dev.cairn.lambda.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.codebuild.CodeBuildTestBuilds;
import dev.cairn.core.finalize.port.TestBuilds;
import dev.cairn.local.emulators.CodeBuildEmulator;
import dev.cairn.local.emulators.CodeBuildEmulator.BuildOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.ListBuildsForProjectRequest;

/** The finalizer's build lookup, on the CodeBuild emulator. */
class CodeBuildTestBuildsTest {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  final CodeBuildEmulator codeBuild =
      new CodeBuildEmulator("000000000000", "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC))
          .project("hello-stage-tests")
          .runner(
              (project, env) ->
                  "dep-bad".equals(env.get("CAIRN_DEPLOYMENT_ID"))
                      ? BuildOutcome.FAILED
                      : BuildOutcome.SUCCEEDED);

  String start(String deploymentId) {
    return codeBuild
        .startBuild(
            r ->
                r.projectName("hello-stage-tests")
                    .environmentVariablesOverride(
                        EnvironmentVariable.builder()
                            .name("CAIRN_DEPLOYMENT_ID")
                            .value(deploymentId)
                            .build()))
        .build()
        .id();
  }

  @Test
  void find_keepsOnlyTheDeploymentsBuild_withItsStatus() {
    start("dep-other");
    String ours = start("dep-ours");
    start("dep-bad");
    // The emulator completes a build on its second read.
    codeBuild.batchGetBuilds(r -> r.ids(ours));

    var found =
        new CodeBuildTestBuilds(codeBuild)
            .find("hello-stage-tests", "dep-ours", NOW.minusSeconds(60));

    assertThat(found).containsExactly(new TestBuilds.TestBuild(ours, "SUCCEEDED"));
    ListBuildsForProjectRequest list =
        (ListBuildsForProjectRequest)
            codeBuild.requests().stream()
                .filter(ListBuildsForProjectRequest.class::isInstance)
                .findFirst()
                .orElseThrow();
    assertThat(list.projectName()).isEqualTo("hello-stage-tests");
    assertThat(list.sortOrderAsString()).isEqualTo("DESCENDING");
  }

  @Test
  void find_ignoresBuildsStartedBeforeTheExecution() {
    start("dep-ours");
    assertThat(
            new CodeBuildTestBuilds(codeBuild)
                .find("hello-stage-tests", "dep-ours", NOW.plusSeconds(1)))
        .isEmpty();
  }
}
