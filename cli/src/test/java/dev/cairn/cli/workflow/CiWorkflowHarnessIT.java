package dev.cairn.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.sandbox.RunningSandbox;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.Scratch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The committed workflow's publish job, run verbatim against {@code cairn sandbox up} (the real
 * command, with the variables it prints; real {@code cairn.jar}, real {@code cdk synth} of the
 * example service, real {@code cdk-assets}), then the pipeline it starts, followed with {@code
 * cairn status --watch}: the artifact must reach prod with no IAM denial on the way. One sandbox
 * and one prepared repository serve every test; a mutation fails at the step it breaks, and the one
 * that breaks a late step resumes the published run's workspace at that step.
 */
class CiWorkflowHarnessIT {

  static final Path REPO = repoRoot();
  static final Path WORKFLOW = REPO.resolve(".github/workflows/cairn-ci.yml");
  static final String SERVICE = "hello-service";

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve(".github/workflows/cairn-ci.yml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no Cairn checkout above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** The files of Cairn's repository the publish job uses: what the test repository holds. */
  static final List<String> CHECKED_IN =
      List.of(
          ".gitignore",
          ".github/workflows/cairn-ci.yml",
          "pom.xml",
          "mvnw",
          ".mvn",
          "cdk/package.json",
          "cdk/package-lock.json",
          "tools/cdk-assets/package.json",
          "tools/cdk-assets/package-lock.json",
          "examples/hello-service/cdk.json",
          "examples/hello-service/pom.xml",
          "examples/hello-service/src",
          "examples/hello-service/lambda");

  static RunningSandbox up;
  static Path work;
  static Path origin;
  static String sha;
  static Map<String, String> expressions;
  static WorkflowHarness published;

  @BeforeAll
  static void sandboxUpAndTheTestRepository() throws Exception {
    // 60x: S3's event (2 real seconds after the upload) stays well inside the sweeper's grace.
    up = RunningSandbox.start(REPO, 60);
    work = Files.createTempDirectory("cairn-ci-harness-");
    origin = Files.createDirectories(work.resolve("origin"));
    for (String f : CHECKED_IN) {
      copy(REPO.resolve(f), origin.resolve(f));
    }
    Path cairnDir = Files.createDirectories(origin.resolve(".github/cairn"));
    // What the installation's operators commit: the trust policy sandbox up's control plane pins,
    // and the public half of the context-blessing key its config pins (context_signer_keys); the
    // sandbox's context generator blessed the installation's context with it before CI runs.
    Files.copy(Path.of(up.export("CAIRN_TRUST_POLICY")), cairnDir.resolve("trust-policy.json"));
    Files.writeString(
        cairnDir.resolve("context-signer.pub.pem"),
        Json.parse(dev.cairn.sandbox.assembly.ControlPlaneAssembly.classpathFile("config.json"))
            .at("/context_signer_keys/0/public_key")
            .asText());

    // The commit CI builds is signed with an SSH key the repository allows.
    Path keys = Files.createDirectories(work.resolve("keys"));
    Path signingKey = keys.resolve("id_ed25519");
    run(
        work,
        Map.of(),
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-C",
        "ci-test",
        "-f",
        signingKey.toString());
    Files.writeString(
        cairnDir.resolve("allowed_signers"),
        "release@example.com namespaces=\"git\" "
            + Files.readString(keys.resolve("id_ed25519.pub")).trim()
            + "\n");
    run(origin, Map.of(), "git", "init", "-q", "-b", "main");
    run(origin, Map.of(), "git", "config", "user.email", "release@example.com");
    run(origin, Map.of(), "git", "config", "user.name", "Release");
    run(origin, Map.of(), "git", "config", "gpg.format", "ssh");
    run(origin, Map.of(), "git", "config", "user.signingkey", signingKey.toString());
    run(origin, Map.of(), "git", "add", "-A");
    run(origin, Map.of(), "git", "commit", "-q", "-S", "-m", "hello-service: release");
    sha = run(origin, Map.of(), "git", "rev-parse", "HEAD").trim();

    // The repository's variables are the ones sandbox up printed for the workflow.
    expressions = new LinkedHashMap<>();
    expressions.put("github.sha", sha);
    expressions.put("github.ref", "refs/heads/main");
    expressions.put("github.run_id", "4242");
    for (String v :
        List.of(
            "CAIRN_REGION",
            "CAIRN_TOOLS_ACCOUNT",
            "CAIRN_CONTEXTS_BUCKET",
            "CAIRN_CANDIDATE_BUCKET",
            "CAIRN_FIRST_ENVIRONMENT")) {
      expressions.put("vars." + v, up.export(v));
    }
    failed = false;
  }

  /**
   * Whether set-up or a test failed: the work directory (about 900 MB: the clones, node_modules,
   * cdk.out) is then kept for its reader, and its path printed; otherwise it goes.
   */
  static volatile boolean failed = true;

  @RegisterExtension
  static final TestWatcher KEEP_WORK_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          failed = true;
        }
      };

  @AfterAll
  static void sandboxDown() throws Exception {
    if (up != null) {
      up.close();
    }
    if (work != null) {
      if (failed) {
        System.err.println("CiWorkflowHarnessIT failed: its work directory is kept in " + work);
      } else {
        Scratch.deleteTree(work);
      }
    }
  }

  /** A harness for {@code workflowYaml} in {@code workspace}, against the running sandbox. */
  static WorkflowHarness harness(String workflowYaml, Path workspace) throws Exception {
    Files.createDirectories(workspace);
    Map<String, String> ciSession = new LinkedHashMap<>();
    for (String k : List.of("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN")) {
      ciSession.put("AWS_" + k, up.export("CAIRN_SANDBOX_CI_" + k));
    }
    return new WorkflowHarness(
        workflowYaml,
        "publish",
        expressions,
        origin,
        sha,
        workspace,
        cairnJar(),
        "arn:aws:iam::" + up.export("CAIRN_TOOLS_ACCOUNT") + ":role/cdk-ci-artifact-builder",
        ciSession,
        runnerEnv());
  }

  /** The committed workflow's publish job, run once; the tests that resume it share the run. */
  static synchronized WorkflowHarness published() throws Exception {
    if (published == null) {
      WorkflowHarness h = harness(Files.readString(WORKFLOW), work.resolve("workspace"));
      h.run();
      published = h;
    }
    return published;
  }

  /** What this machine's runner has: tools on PATH, and Maven offline on the build's repository. */
  static Map<String, String> runnerEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    // The machine's network settings too: a runner behind a proxy that re-signs TLS has its CA
    // bundle and proxy variables, or npm cannot reach the registry (SELF_SIGNED_CERT_IN_CHAIN).
    for (String k :
        List.of(
            "PATH",
            "HOME",
            "JAVA_HOME",
            "LANG",
            "NODE_EXTRA_CA_CERTS",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "no_proxy")) {
      if (System.getenv(k) != null) {
        env.put(k, System.getenv(k));
      }
    }
    // The runner's Maven cache (setup-java's cache: maven): the example's synth resolves offline.
    List<String> maven = new ArrayList<>(List.of("-o"));
    for (String p : List.of("maven.repo.local", "maven.repo.local.tail")) {
      if (System.getProperty(p) != null) {
        maven.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    env.put("MAVEN_ARGS", String.join(" ", maven));
    env.put("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
    // The runner's machine points every AWS SDK at the sandbox: the endpoint lines it printed.
    up.exports()
        .forEach(
            (k, v) -> {
              if (k.startsWith("AWS_ENDPOINT_URL")) {
                env.put(k, v);
              }
            });
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  static Path cairnJar() {
    Path jar = REPO.resolve("cli/target/cairn.jar");
    assertThat(jar).as("runs after package").isRegularFile();
    return jar;
  }

  static String run(Path dir, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.toString().contains("/target/") || p.endsWith("target")) {
          continue;
        }
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.createDirectories(t.getParent());
          Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  @Test
  void publishJob_runsVerbatim_andTheArtifactReachesProd_withNoIamDenial() throws Exception {
    WorkflowHarness h = published();
    assertThat(h.runs())
        .extracting(WorkflowHarness.StepRun::name)
        .contains(
            "Publish the assets (cdk-assets, tools/cdk-assets/package-lock.json)",
            "Publish to the candidate bucket; the registrar records the candidate");
    // cdk synth ran here: the assembly is the workspace's, not a committed one.
    assertThat(h.workspace().resolve("examples/hello-service/cdk.out/manifest.json"))
        .isRegularFile();
    // cdk-assets put every asset where CloudFormation will read it, in each target account.
    for (String bucket : up.world().assetBuckets()) {
      assertThat(up.world().objectKeys(bucket)).as(bucket).isNotEmpty();
    }
    assertThat(up.world().objectKeys(up.export("CAIRN_CANDIDATE_BUCKET")))
        .anyMatch(k -> k.contains(sha));

    // S3 raises Object Created for the manifest CI uploaded; the pipeline runs, and the watch a
    // user would run follows it until prod is deployed and baked.
    Map<String, String> shell = new LinkedHashMap<>(runnerEnv());
    shell.putAll(up.exports());
    String watch =
        run(
            work,
            shell,
            "java",
            "-jar",
            cairnJar().toString(),
            "status",
            "--service",
            SERVICE,
            "--commit",
            sha,
            "--watch",
            "--interval",
            "0.5");
    assertThat(watch)
        .as(up.output())
        .containsPattern("(?m)^  stage +deployed")
        .containsPattern("(?m)^  prod +deployed")
        .contains("(trigger s3)");

    // IAM decided each call as it was made: sandbox up printed no denial, and the check after the
    // run over every recorded call agrees.
    assertThat(up.output()).doesNotContain("• IAM denied");
    assertThat(up.world().denials()).isEmpty();
    JsonNode iam = up.world().iamCheck(REPO);
    assertThat(iam.path("evaluator").asText("")).isNotEqualTo("unavailable");
    assertThat(iam.path("calls_checked").asInt()).isPositive();
    assertThat(iam.path("denied")).as(Json.pretty(iam)).isEmpty();
    assertThat(iam.at("/negative_controls/allowed_by_mistake")).isEmpty();
  }

  @Test
  void aWorkflowWithoutTheCdkAssetsStep_failsNamingIt() throws Exception {
    String workflow = Files.readString(WORKFLOW);
    int start = workflow.indexOf("      - name: Publish the assets (cdk-assets");
    int end = workflow.indexOf("      - name: Create and sign the artifact manifest");
    assertThat(start).isPositive();
    String mutated = workflow.substring(0, start) + workflow.substring(end);
    WorkflowHarness h = harness(mutated, work.resolve("no-cdk-assets"));
    assertThatThrownBy(h::run)
        .isInstanceOfSatisfying(
            WorkflowHarness.StepFailed.class,
            e -> assertThat(e.step).isEqualTo("cdk-assets publish"));
    assertThat(h.runs()).as("refused before any step runs").isEmpty();
  }

  @Test
  void aManifestCreateWithoutARequiredFlag_failsItsStep() throws Exception {
    String workflow = Files.readString(WORKFLOW);
    String flag =
        "            --cdk-cli-version \"$(cdk/node_modules/.bin/cdk --version | cut -d' ' -f1)\" \\\n";
    assertThat(workflow).contains(flag);
    String step = "Create and sign the artifact manifest (KMS alias/cdk-ci-artifact-signer)";
    WorkflowHarness earlier = published();
    List<String> candidatesBefore = ciWritten();
    WorkflowHarness h = harness(workflow.replace(flag, ""), earlier.workspace());
    assertThatThrownBy(() -> h.runFrom(step, earlier))
        .isInstanceOfSatisfying(
            WorkflowHarness.StepFailed.class,
            e -> {
              assertThat(e.step).isEqualTo(step);
              assertThat(e.getMessage()).contains("exited 2", "--cdk-cli-version");
            });
    assertThat(ciWritten()).isEqualTo(candidatesBefore);
  }

  /**
   * The candidate bucket's keys CI writes: the pipeline the earlier publish started may still be
   * running, and adds its verification reports under {@code cairn-evidence/} meanwhile.
   */
  private static List<String> ciWritten() {
    return up.world().objectKeys(up.export("CAIRN_CANDIDATE_BUCKET")).stream()
        .filter(k -> !k.contains("/cairn-evidence/"))
        .toList();
  }

  @Test
  void anExpressionOutsideTheFixedMap_failsTheStepThatHoldsIt() throws Exception {
    String workflow =
        Files.readString(WORKFLOW)
            .replace(
                "role-session-name: cairn-ci-${{ github.run_id }}",
                "role-session-name: cairn-ci-${{ github.event.head_commit.id }}");
    WorkflowHarness h = harness(workflow, work.resolve("unknown-expression"));
    assertThatThrownBy(h::run)
        .isInstanceOfSatisfying(
            WorkflowHarness.StepFailed.class,
            e -> {
              assertThat(e.step)
                  .isEqualTo("AWS credentials (OIDC, cdk-ci-artifact-builder, 15 minutes)");
              assertThat(e.getMessage()).contains("github.event.head_commit.id");
            });
  }
}
