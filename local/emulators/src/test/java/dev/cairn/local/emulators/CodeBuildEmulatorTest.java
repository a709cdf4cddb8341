package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.emulators.CodeBuildEmulator.BuildOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;
import software.amazon.awssdk.services.codebuild.model.StatusType;

class CodeBuildEmulatorTest {

  private final List<Map<String, String>> seenEnv = new ArrayList<>();
  private final CodeBuildEmulator codebuild =
      new CodeBuildEmulator(
              "111111111111",
              "eu-west-1",
              Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC))
          .project("stage-tests", Map.of("SUITE", "integration"))
          .project("prod-smoke")
          .runner(
              (project, env) -> {
                seenEnv.add(env);
                return "bad".equals(env.get("COMMIT"))
                    ? BuildOutcome.FAILED
                    : BuildOutcome.SUCCEEDED;
              });

  private Build poll(String id) {
    return codebuild.batchGetBuilds(r -> r.ids(id)).builds().get(0);
  }

  @Test
  void build_goesInProgressThenSucceeded_withPhases() {
    StartBuildRequest request =
        StartBuildRequest.builder()
            .projectName("stage-tests")
            .environmentVariablesOverride(
                EnvironmentVariable.builder().name("COMMIT").value("good").build())
            .build();
    Build started = codebuild.startBuild(request).build();
    assertThat(started.buildStatus()).isEqualTo(StatusType.IN_PROGRESS);
    assertThat(started.currentPhase()).isEqualTo("SUBMITTED");
    assertThat(started.id()).startsWith("stage-tests:");
    assertThat(started.arn())
        .startsWith("arn:aws:codebuild:eu-west-1:111111111111:build/stage-tests:");

    assertThat(poll(started.id()).buildStatus()).isEqualTo(StatusType.IN_PROGRESS);
    Build done = poll(started.id());
    assertThat(done.buildStatus()).isEqualTo(StatusType.SUCCEEDED);
    assertThat(done.currentPhase()).isEqualTo("COMPLETED");
    assertThat(done.buildComplete()).isTrue();
    assertThat(seenEnv).containsExactly(Map.of("SUITE", "integration", "COMMIT", "good"));
    assertThat(codebuild.startBuildRequests()).containsExactly(request);
  }

  @Test
  void runner_scriptsFailureByEnvironment() {
    String id =
        codebuild
            .startBuild(
                r ->
                    r.projectName("prod-smoke")
                        .environmentVariablesOverride(
                            EnvironmentVariable.builder().name("COMMIT").value("bad").build()))
            .build()
            .id();
    poll(id);
    assertThat(poll(id).buildStatus()).isEqualTo(StatusType.FAILED);
  }

  @Test
  void hang_staysInProgressUntilStopped_andTimedOutIsScriptable() {
    codebuild.runner((p, env) -> BuildOutcome.HANG);
    String id = codebuild.startBuild(r -> r.projectName("prod-smoke")).build().id();
    for (int i = 0; i < 4; i++) {
      assertThat(poll(id).buildStatus()).isEqualTo(StatusType.IN_PROGRESS);
    }
    assertThat(codebuild.stopBuild(r -> r.id(id)).build().buildStatus())
        .isEqualTo(StatusType.STOPPED);

    codebuild.runner((p, env) -> BuildOutcome.TIMED_OUT);
    String t = codebuild.startBuild(r -> r.projectName("prod-smoke")).build().id();
    poll(t);
    assertThat(poll(t).buildStatus()).isEqualTo(StatusType.TIMED_OUT);
  }

  @Test
  void unknownProject_isResourceNotFound_andUnknownBuildIsListedNotFound() {
    assertThatThrownBy(() -> codebuild.startBuild(r -> r.projectName("nope")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    var r = codebuild.batchGetBuilds(b -> b.ids("nope:1"));
    assertThat(r.builds()).isEmpty();
    assertThat(r.buildsNotFound()).containsExactly("nope:1");
  }

  @Test
  void listBuildsForProject_newestFirst_onlyThatProject_unknownProjectNotFound() {
    String first = codebuild.startBuild(r -> r.projectName("stage-tests")).build().id();
    codebuild.startBuild(r -> r.projectName("prod-smoke"));
    String second = codebuild.startBuild(r -> r.projectName("stage-tests")).build().id();

    assertThat(codebuild.listBuildsForProject(r -> r.projectName("stage-tests")).ids())
        .containsExactly(second, first);
    assertThat(
            codebuild
                .listBuildsForProject(
                    r ->
                        r.projectName("stage-tests")
                            .sortOrder(
                                software.amazon.awssdk.services.codebuild.model.SortOrderType
                                    .ASCENDING))
                .ids())
        .containsExactly(first, second);
    assertThat(codebuild.callCounts()).containsEntry("ListBuildsForProject", 2);
    assertThatThrownBy(() -> codebuild.listBuildsForProject(r -> r.projectName("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
