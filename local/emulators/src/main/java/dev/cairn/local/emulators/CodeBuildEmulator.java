package dev.cairn.local.emulators;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsRequest;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsResponse;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.BuildPhaseType;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.InvalidInputException;
import software.amazon.awssdk.services.codebuild.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codebuild.model.StartBuildRequest;
import software.amazon.awssdk.services.codebuild.model.StartBuildResponse;
import software.amazon.awssdk.services.codebuild.model.StatusType;
import software.amazon.awssdk.services.codebuild.model.StopBuildRequest;
import software.amazon.awssdk.services.codebuild.model.StopBuildResponse;

/**
 * An honest CodeBuild for the test runner: {@code StartBuild}, {@code BatchGetBuilds}, {@code
 * StopBuild}.
 *
 * <p><b>Outcomes are scripted</b> by a runner callback {@code (projectName, environment) ->
 * BuildOutcome}, invoked once on {@code StartBuild} with the project's environment variables
 * overlaid by {@code environmentVariablesOverride}. <b>Progress model:</b> {@code StartBuild}
 * returns {@code IN_PROGRESS} in phase {@code SUBMITTED}; each {@code BatchGetBuilds} call that
 * includes the build advances it one step: {@code IN_PROGRESS} in phase {@code BUILD}, then the
 * outcome's terminal status in phase {@code COMPLETED}. {@link BuildOutcome#HANG} stays {@code
 * IN_PROGRESS} until {@code StopBuild} ({@code STOPPED}). Unknown projects give {@code
 * ResourceNotFoundException}; unknown build ids are listed in {@code buildsNotFound}.
 */
public final class CodeBuildEmulator implements CodeBuildClient {

  /** A scripted build result. */
  public enum BuildOutcome {
    SUCCEEDED(StatusType.SUCCEEDED),
    FAILED(StatusType.FAILED),
    FAULT(StatusType.FAULT),
    TIMED_OUT(StatusType.TIMED_OUT),
    STOPPED(StatusType.STOPPED),
    /** Never completes on its own. */
    HANG(StatusType.IN_PROGRESS);

    final StatusType status;

    BuildOutcome(StatusType status) {
      this.status = status;
    }
  }

  private final String account;
  private final String region;
  private final Clock clock;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final Map<String, Map<String, String>> projects = new ConcurrentHashMap<>();
  private final Map<String, EmulatedBuild> builds = new LinkedHashMap<>();
  private final Map<String, Long> buildNumbers = new HashMap<>();
  private volatile BiFunction<String, Map<String, String>, BuildOutcome> runner =
      (p, env) -> BuildOutcome.SUCCEEDED;

  public CodeBuildEmulator(String account, String region, Clock clock) {
    this.account = account;
    this.region = region;
    this.clock = clock;
  }

  /** Registers {@code name} with its default environment variables. */
  public CodeBuildEmulator project(String name, Map<String, String> environment) {
    projects.put(name, Map.copyOf(environment));
    return this;
  }

  public CodeBuildEmulator project(String name) {
    return project(name, Map.of());
  }

  /** Scripts outcomes: called once per started build with (project, effective environment). */
  public CodeBuildEmulator runner(BiFunction<String, Map<String, String>, BuildOutcome> runner) {
    this.runner = runner;
    return this;
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public List<StartBuildRequest> startBuildRequests() {
    return calls.requests(StartBuildRequest.class);
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(String operation, int times, Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public synchronized StartBuildResponse startBuild(StartBuildRequest request) {
    calls.record("StartBuild", request);
    String project = request.projectName();
    if (project == null || project.isEmpty()) {
      throw AwsErrors.error(
          InvalidInputException.builder(),
          "CodeBuild",
          "InvalidInputException",
          400,
          "1 validation error detected: Value null at 'projectName' failed to satisfy constraint: Member must not be null");
    }
    Map<String, String> defaults = projects.get(project);
    if (defaults == null) {
      throw AwsErrors.error(
          ResourceNotFoundException.builder(),
          "CodeBuild",
          "ResourceNotFoundException",
          400,
          "Project cannot be found: " + projectArn(project));
    }
    Map<String, String> env = new LinkedHashMap<>(defaults);
    for (EnvironmentVariable v : request.environmentVariablesOverride()) {
      env.put(v.name(), v.value());
    }
    long number = buildNumbers.merge(project, 1L, Long::sum);
    String id =
        project
            + ":"
            + UUID.nameUUIDFromBytes((project + "#" + number).getBytes(StandardCharsets.UTF_8));
    EmulatedBuild b = new EmulatedBuild(id, project, number, Map.copyOf(env), clock.instant());
    b.request = request;
    b.outcome = runner.apply(project, Map.copyOf(env));
    builds.put(id, b);
    return StartBuildResponse.builder().build(b.toBuild()).build();
  }

  @Override
  public synchronized BatchGetBuildsResponse batchGetBuilds(BatchGetBuildsRequest request) {
    calls.record("BatchGetBuilds", request);
    List<Build> found = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (String id : request.ids()) {
      EmulatedBuild b = builds.get(id);
      if (b == null) {
        notFound.add(id);
        continue;
      }
      b.advance(clock.instant());
      found.add(b.toBuild());
    }
    return BatchGetBuildsResponse.builder().builds(found).buildsNotFound(notFound).build();
  }

  /**
   * {@code ListBuildsForProject}: the project's build IDs, newest first unless {@code
   * SortOrder=ASCENDING}, 100 a page with {@code NextToken}; an unknown project is {@code
   * ResourceNotFoundException}.
   */
  @Override
  public synchronized software.amazon.awssdk.services.codebuild.model.ListBuildsForProjectResponse
      listBuildsForProject(
          software.amazon.awssdk.services.codebuild.model.ListBuildsForProjectRequest request) {
    calls.record("ListBuildsForProject", request);
    if (!projects.containsKey(request.projectName())) {
      throw AwsErrors.error(
          ResourceNotFoundException.builder(),
          "CodeBuild",
          "ResourceNotFoundException",
          400,
          "The provided project name does not exist: " + request.projectName());
    }
    List<String> ids = new ArrayList<>();
    for (EmulatedBuild b : builds.values()) {
      if (b.project.equals(request.projectName())) {
        ids.add(b.id);
      }
    }
    if (request.sortOrder()
        != software.amazon.awssdk.services.codebuild.model.SortOrderType.ASCENDING) {
      java.util.Collections.reverse(ids);
    }
    int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
    int to = Math.min(ids.size(), from + 100);
    return software.amazon.awssdk.services.codebuild.model.ListBuildsForProjectResponse.builder()
        .ids(ids.subList(Math.min(from, to), to))
        .nextToken(to < ids.size() ? Integer.toString(to) : null)
        .build();
  }

  @Override
  public synchronized StopBuildResponse stopBuild(StopBuildRequest request) {
    calls.record("StopBuild", request);
    EmulatedBuild b = builds.get(request.id());
    if (b == null) {
      throw AwsErrors.error(
          ResourceNotFoundException.builder(),
          "CodeBuild",
          "ResourceNotFoundException",
          400,
          "Build " + request.id() + " does not exist");
    }
    if (b.status == StatusType.IN_PROGRESS) {
      b.finish(StatusType.STOPPED, clock.instant());
    }
    return StopBuildResponse.builder().build(b.toBuild()).build();
  }

  private String projectArn(String project) {
    return "arn:aws:codebuild:" + region + ":" + account + ":project/" + project;
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  private final class EmulatedBuild {
    final String id;
    final String project;
    final long number;
    final Map<String, String> environment;
    final Instant startTime;
    StartBuildRequest request;
    BuildOutcome outcome;
    StatusType status = StatusType.IN_PROGRESS;
    BuildPhaseType phase = BuildPhaseType.SUBMITTED;
    Instant endTime;

    EmulatedBuild(
        String id, String project, long number, Map<String, String> environment, Instant start) {
      this.id = id;
      this.project = project;
      this.number = number;
      this.environment = environment;
      this.startTime = start;
    }

    void advance(Instant now) {
      if (status != StatusType.IN_PROGRESS) {
        return;
      }
      if (phase == BuildPhaseType.SUBMITTED) {
        phase = BuildPhaseType.BUILD;
      } else if (outcome != BuildOutcome.HANG) {
        finish(outcome.status, now);
      }
    }

    void finish(StatusType terminal, Instant now) {
      status = terminal;
      phase = BuildPhaseType.COMPLETED;
      endTime = now;
    }

    Build toBuild() {
      List<BuildPhase> phases = new ArrayList<>();
      phases.add(
          BuildPhase.builder()
              .phaseType(BuildPhaseType.SUBMITTED)
              .phaseStatus(StatusType.SUCCEEDED)
              .startTime(startTime)
              .build());
      if (phase != BuildPhaseType.SUBMITTED) {
        phases.add(
            BuildPhase.builder()
                .phaseType(BuildPhaseType.BUILD)
                .phaseStatus(status == StatusType.IN_PROGRESS ? null : status)
                .startTime(startTime)
                .endTime(endTime)
                .build());
      }
      if (phase == BuildPhaseType.COMPLETED) {
        phases.add(
            BuildPhase.builder().phaseType(BuildPhaseType.COMPLETED).startTime(endTime).build());
      }
      List<EnvironmentVariable> env = new ArrayList<>();
      environment.forEach(
          (k, v) -> env.add(EnvironmentVariable.builder().name(k).value(v).build()));
      return Build.builder()
          .id(id)
          .arn("arn:aws:codebuild:" + region + ":" + account + ":build/" + id)
          .buildNumber(number)
          .projectName(project)
          .buildStatus(status)
          .currentPhase(phase.toString())
          .buildComplete(status != StatusType.IN_PROGRESS)
          .startTime(startTime)
          .endTime(endTime)
          .phases(phases)
          .environment(e -> e.environmentVariables(env))
          .build();
    }
  }
}
