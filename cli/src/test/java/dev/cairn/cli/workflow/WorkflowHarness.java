package dev.cairn.cli.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one job of a GitHub Actions workflow file on this machine, step by step, as a runner does:
 *
 * <ul>
 *   <li>{@code run:} steps run in {@code bash -e} (the runner's default shell) in the workspace,
 *       with the workflow's, the job's and the step's {@code env:}, the runner's {@code GITHUB_*}
 *       variables, and whatever earlier steps appended to {@code $GITHUB_ENV};
 *   <li>{@code ${{ ... }}} is replaced from a fixed map ({@code github.*}, {@code vars.*}, ...); an
 *       expression not in the map fails the step that holds it;
 *   <li>{@code uses:} steps map to local equivalents: {@code actions/checkout} clones the test
 *       repository at the commit, {@code setup-java}/{@code setup-node} check that the tool is on
 *       PATH, {@code download-artifact} of {@code cairn-cli} copies the cairn command the build
 *       produced, {@code aws-actions/configure-aws-credentials} sets the credentials of the CI
 *       role's session {@code cairn sandbox up} printed (the role it names must be that role). Any
 *       other action fails its step.
 * </ul>
 *
 * A step that exits non-zero, a step with an {@code if:} (nothing here evaluates one) and a job
 * without one of the {@link #REQUIRED} commands each fail the run, naming the step or the command.
 */
final class WorkflowHarness {

  /** What the publish job must do (the spec's build process), each by the command that does it. */
  static final Map<String, Pattern> REQUIRED =
      new LinkedHashMap<>(
          Map.of(
              "fetch and check the blessed context", Pattern.compile("cairn\\.jar context fetch"),
              "cdk synth", Pattern.compile("cdk\"? synth"),
              "cdk-assets publish", Pattern.compile("cdk-assets publish"),
              "cairn manifest create", Pattern.compile("cairn\\.jar manifest create"),
              "cairn manifest sign", Pattern.compile("cairn\\.jar manifest sign"),
              "cairn publish", Pattern.compile("cairn\\.jar publish")));

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]*?)\\s*}}");

  /** A step failed (or is missing): {@code step} names it as the workflow does. */
  static final class StepFailed extends AssertionError {
    final String step;

    StepFailed(String step, String message) {
      super("step \"" + step + "\": " + message);
      this.step = step;
    }
  }

  /** One step's run. */
  record StepRun(String name, String kind, int exit, String output) {}

  private final JsonNode workflow;
  private final String jobId;
  private final Map<String, String> expressions;
  private final Path workspace;
  private final Path origin;
  private final String sha;
  private final Path cairnJar;
  private final String ciRoleArn;
  private final Map<String, String> ciCredentials;
  private final Map<String, String> runnerEnv;
  private final List<StepRun> runs = new ArrayList<>();
  private final Map<String, String> exported = new LinkedHashMap<>();

  /**
   * @param workflowYaml the workflow file's text
   * @param jobId the job to run
   * @param expressions every {@code ${{ }}} expression the job may use, with its value
   * @param origin the test repository the checkout clones
   * @param sha the commit the run is for ({@code github.sha})
   * @param workspace an empty directory: {@code GITHUB_WORKSPACE}; the runner's own files ({@code
   *     $GITHUB_ENV}, {@code $RUNNER_TEMP}, each step's script) go beside it, in {@code
   *     <workspace>-runner}, so that removing the workspace's parent removes everything a run wrote
   * @param cairnJar the cairn command the build produced (the {@code cairn-cli} artifact)
   * @param ciRoleArn the CI role, which the credentials step must name
   * @param ciCredentials what the credentials step leaves behind: the CI role session's {@code
   *     AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}
   * @param runnerEnv what the runner's machine adds to every process (PATH, HOME, MAVEN_ARGS...)
   */
  WorkflowHarness(
      String workflowYaml,
      String jobId,
      Map<String, String> expressions,
      Path origin,
      String sha,
      Path workspace,
      Path cairnJar,
      String ciRoleArn,
      Map<String, String> ciCredentials,
      Map<String, String> runnerEnv)
      throws IOException {
    this.workflow = new YAMLMapper().readTree(workflowYaml);
    this.jobId = jobId;
    this.expressions = Map.copyOf(expressions);
    this.origin = origin;
    this.sha = sha;
    this.workspace = workspace;
    this.cairnJar = cairnJar;
    this.ciRoleArn = ciRoleArn;
    this.ciCredentials = Map.copyOf(ciCredentials);
    this.runnerEnv = Map.copyOf(runnerEnv);
  }

  List<StepRun> runs() {
    return List.copyOf(runs);
  }

  /** Runs every step of the job in order; throws {@link StepFailed} at the first failure. */
  void run() throws Exception {
    runFrom(null, null);
  }

  /** What the job left behind: the workspace and what its steps appended to {@code $GITHUB_ENV}. */
  Map<String, String> exported() {
    return Map.copyOf(exported);
  }

  Path workspace() {
    return workspace;
  }

  /**
   * Runs the job from the step named {@code first} on, in the workspace {@code earlier} left (this
   * harness must have been made on it) and with what its steps exported: the steps before {@code
   * first} are those {@code earlier} ran, unchanged, and are not run again. A mutation of one step
   * is then tested at that step, not after a whole job's set-up.
   */
  void runFrom(String first, WorkflowHarness earlier) throws Exception {
    JsonNode job = workflow.path("jobs").path(jobId);
    if (job.isMissingNode()) {
      throw new StepFailed(jobId, "the workflow has no job " + jobId);
    }
    JsonNode steps = job.path("steps");
    requireEveryCommand(steps);
    Path runner = runnerDirectory();
    Path githubEnv = Files.createTempFile(runner, "github-env-", "");
    Map<String, String> base = new LinkedHashMap<>(runnerEnv);
    base.put("CI", "true");
    base.put("GITHUB_ACTIONS", "true");
    base.put("GITHUB_WORKSPACE", workspace.toString());
    base.put("GITHUB_SHA", sha);
    base.put("GITHUB_REF", expressions.get("github.ref"));
    base.put("GITHUB_RUN_ID", expressions.get("github.run_id"));
    base.put("GITHUB_ENV", githubEnv.toString());
    base.put("RUNNER_TEMP", Files.createTempDirectory(runner, "runner-temp-").toString());
    putEnv(base, workflow.path("env"), "workflow env");
    putEnv(base, job.path("env"), "job " + jobId + " env");
    boolean reached = first == null;
    if (!reached) {
      if (!earlier.workspace.equals(workspace)) {
        throw new IllegalArgumentException("a resumed run needs the earlier run's workspace");
      }
      exported.putAll(earlier.exported);
    }
    for (JsonNode step : steps) {
      String name = stepName(step);
      reached |= name.equals(first);
      if (!reached) {
        runs.add(new StepRun(name, "reused", 0, "ran in the earlier run"));
        continue;
      }
      if (step.has("if")) {
        throw new StepFailed(name, "has an if: condition, which the harness does not evaluate");
      }
      Map<String, String> env = new LinkedHashMap<>(base);
      env.putAll(exported);
      putEnv(env, step.path("env"), name);
      if (step.has("run")) {
        runShell(name, substitute(step.path("run").asText(), name), env);
      } else if (step.has("uses")) {
        uses(name, step, env);
      } else {
        throw new StepFailed(name, "neither run: nor uses:");
      }
      readGithubEnv(githubEnv);
    }
    if (!reached) {
      throw new StepFailed(first, "the job has no such step");
    }
  }

  /** {@code <workspace>-runner}: the runner's files, beside the workspace (never in /tmp). */
  private Path runnerDirectory() throws IOException {
    return Files.createDirectories(workspace.resolveSibling(workspace.getFileName() + "-runner"));
  }

  private void requireEveryCommand(JsonNode steps) {
    StringBuilder all = new StringBuilder();
    steps.forEach(s -> all.append(s.path("run").asText("")).append('\n'));
    for (Map.Entry<String, Pattern> r : REQUIRED.entrySet()) {
      if (!r.getValue().matcher(all).find()) {
        throw new StepFailed(
            r.getKey(), "no step of job " + jobId + " runs it (" + r.getValue().pattern() + ")");
      }
    }
  }

  static String stepName(JsonNode step) {
    if (step.has("name")) {
      return step.get("name").asText();
    }
    if (step.has("uses")) {
      return step.get("uses").asText().replaceAll("@.*", "");
    }
    return step.path("run").asText().lines().findFirst().orElse("run");
  }

  private void putEnv(Map<String, String> env, JsonNode map, String where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      env.put(e.getKey(), substitute(e.getValue().asText(), where));
    }
  }

  /** Replaces every {@code ${{ expr }}}; an unknown expression fails {@code where}. */
  String substitute(String text, String where) {
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String value = expressions.get(m.group(1));
      if (value == null) {
        throw new StepFailed(where, "unknown expression ${{ " + m.group(1) + " }}");
      }
      m.appendReplacement(b, Matcher.quoteReplacement(value));
    }
    m.appendTail(b);
    return b.toString();
  }

  private void runShell(String name, String script, Map<String, String> env) throws Exception {
    Path file = Files.createTempFile(runnerDirectory(), "step-", ".sh");
    Files.writeString(file, script);
    int exit =
        exec(name, "run", List.of("bash", "--noprofile", "--norc", "-e", file.toString()), env);
    if (exit != 0) {
      throw new StepFailed(name, "exited " + exit + "\n" + runs.get(runs.size() - 1).output());
    }
  }

  private int exec(String name, String kind, List<String> command, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workspace.toFile());
    pb.redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new StepFailed(name, "ran past 15 minutes");
    }
    runs.add(new StepRun(name, kind, p.exitValue(), out));
    return p.exitValue();
  }

  private void uses(String name, JsonNode step, Map<String, String> env) throws Exception {
    String uses = step.path("uses").asText();
    String action = uses.replaceAll("@.*", "");
    JsonNode with = step.path("with");
    switch (action) {
      case "actions/checkout" -> {
        int exit =
            exec(
                name,
                "uses",
                List.of(
                    "bash",
                    "-e",
                    "-c",
                    "git clone -q --branch main \"$0\" . && git checkout -q \"$1\"",
                    origin.toString(),
                    sha),
                env);
        if (exit != 0) {
          throw new StepFailed(name, "checkout failed: " + runs.get(runs.size() - 1).output());
        }
      }
      case "actions/setup-java", "actions/setup-node" -> {
        String tool = action.endsWith("java") ? "java -version" : "node --version";
        if (exec(name, "uses", List.of("bash", "-c", tool), env) != 0) {
          throw new StepFailed(name, tool + " is not on PATH");
        }
      }
      case "actions/download-artifact" -> {
        String artifact = substitute(with.path("name").asText(), name);
        if (!artifact.equals("cairn-cli")) {
          throw new StepFailed(name, "no local equivalent for artifact " + artifact);
        }
        Path dir = workspace.resolve(substitute(with.path("path").asText("."), name));
        Files.createDirectories(dir);
        Files.copy(cairnJar, dir.resolve("cairn.jar"));
        runs.add(new StepRun(name, "uses", 0, "cairn-cli -> " + dir.resolve("cairn.jar")));
      }
      case "aws-actions/configure-aws-credentials" -> {
        String role = substitute(with.path("role-to-assume").asText(), name);
        if (!role.equals(ciRoleArn)) {
          throw new StepFailed(name, "assumes " + role + ", not the CI role " + ciRoleArn);
        }
        String region = substitute(with.path("aws-region").asText(), name);
        int seconds = with.path("role-duration-seconds").asInt(3600);
        // The session name is the workflow's to choose; an unknown expression in it fails here.
        substitute(with.path("role-session-name").asText("GitHubActions"), name);
        Map<String, String> credentials = new LinkedHashMap<>(ciCredentials);
        credentials.put("AWS_REGION", region);
        credentials.put("AWS_DEFAULT_REGION", region);
        exported.putAll(credentials);
        runs.add(
            new StepRun(
                name, "uses", 0, "the printed session of " + role + " (asked: " + seconds + " s)"));
      }
      default -> throw new StepFailed(name, "no local equivalent for " + uses);
    }
  }

  /** What a step appended to {@code $GITHUB_ENV} ({@code NAME=value} lines) holds from now on. */
  private void readGithubEnv(Path file) throws IOException {
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        exported.put(line.substring(0, eq), line.substring(eq + 1));
      } else if (!line.isBlank()) {
        throw new StepFailed("$GITHUB_ENV", "the harness reads NAME=value lines only: " + line);
      }
    }
  }
}
