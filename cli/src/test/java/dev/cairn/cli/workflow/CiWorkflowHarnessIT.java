package dev.cairn.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.LocalCi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed workflow's publish job, run verbatim against the sandbox's AWS (real {@code
 * cairn.jar}, real {@code cdk synth} of the example service, real {@code cdk-assets}), then the
 * pipeline it starts: the artifact must reach prod with no IAM denial on the way.
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

  /** One run: the test repository, its commit, the sandbox, the harness. */
  record Setup(LocalCi ci, Path origin, String sha, WorkflowHarness harness) {}

  static Setup setUp(String workflowYaml, Path work) throws Exception {
    LocalCi ci = LocalCi.start(REPO);
    Path origin = Files.createDirectories(work.resolve("origin"));
    for (String f : CHECKED_IN) {
      copy(REPO.resolve(f), origin.resolve(f));
    }
    Files.writeString(origin.resolve(".github/workflows/cairn-ci.yml"), workflowYaml);
    Path cairnDir = Files.createDirectories(origin.resolve(".github/cairn"));
    Files.writeString(cairnDir.resolve("trust-policy.json"), ci.trustPolicyJson());

    // The context generator blesses the installation's context for every environment, signed
    // with the installation's context-blessing key: the one its config pins in
    // context_signer_keys (gate 6 accepts no other), whose public half the repository pins too.
    Files.writeString(
        cairnDir.resolve("context-signer.pub.pem"),
        Json.parse(dev.cairn.sandbox.assembly.ControlPlaneAssembly.classpathFile("config.json"))
            .at("/context_signer_keys/0/public_key")
            .asText());
    Path keys = Files.createDirectories(work.resolve("keys"));
    Path contextPem = keys.resolve("context-signer.pem");
    Files.writeString(
        contextPem,
        dev.cairn.sandbox.assembly.ControlPlaneAssembly.classpathFile("keys/context-signer.pem"));
    // The lookups themselves are not what this test is about: the generator "regenerates" the
    // installation's context by copying it (bless still runs it twice and compares).
    Files.write(keys.resolve("installation.context.json"), ci.contextToBless());
    Path contextFile =
        Files.createDirectories(keys.resolve("generator")).resolve("cdk.context.json");
    for (String env : ci.environments()) {
      run(
          work,
          ci.environmentAs(ci.contextGeneratorRoleArn(), "context-bless", Duration.ofMinutes(15)),
          "java",
          "-jar",
          cairnJar().toString(),
          "context",
          "bless",
          "--bucket",
          ci.contextsBucket(),
          "--env",
          env,
          "--context-file",
          contextFile.toString(),
          "--generate-command",
          "cp ../installation.context.json cdk.context.json",
          "--sign-with",
          "pem:" + contextPem);
    }

    // The commit CI builds is signed with an SSH key the repository allows.
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
    String sha = run(origin, Map.of(), "git", "rev-parse", "HEAD").trim();

    Map<String, String> expressions = new LinkedHashMap<>();
    expressions.put("github.sha", sha);
    expressions.put("github.ref", "refs/heads/main");
    expressions.put("github.run_id", "4242");
    expressions.put("vars.CAIRN_REGION", ci.region());
    expressions.put("vars.CAIRN_TOOLS_ACCOUNT", ci.toolsAccount());
    expressions.put("vars.CAIRN_CONTEXTS_BUCKET", ci.contextsBucket());
    expressions.put("vars.CAIRN_CANDIDATE_BUCKET", ci.candidateBucket());
    expressions.put("vars.CAIRN_FIRST_ENVIRONMENT", ci.environments().get(0));
    Path workspace = Files.createDirectories(work.resolve("workspace"));
    WorkflowHarness harness =
        new WorkflowHarness(
            workflowYaml,
            "publish",
            expressions,
            origin,
            sha,
            workspace,
            cairnJar(),
            ci,
            runnerEnv());
    return new Setup(ci, origin, sha, harness);
  }

  /** What this machine's runner has: tools on PATH, and Maven offline on the build's repository. */
  static Map<String, String> runnerEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : List.of("PATH", "HOME", "JAVA_HOME", "LANG")) {
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
    Path work = Files.createTempDirectory("cairn-ci-harness-");
    Setup s = setUp(Files.readString(WORKFLOW), work);
    try (LocalCi ci = s.ci()) {
      s.harness().run();

      assertThat(s.harness().runs())
          .extracting(WorkflowHarness.StepRun::name)
          .contains(
              "Publish the assets (cdk-assets, tools/cdk-assets/package-lock.json)",
              "Publish to the candidate bucket; the registrar records the candidate");
      // cdk synth ran here: the assembly is the workspace's, not a committed one.
      Path cdkOut = work.resolve("workspace/examples/hello-service/cdk.out");
      assertThat(cdkOut.resolve("manifest.json")).isRegularFile();
      // cdk-assets put every asset where CloudFormation will read it, in each target account.
      for (String env : ci.environments()) {
        assertThat(ci.objectKeys("cdk-hnb659fds-assets-" + ci.account(env) + "-" + ci.region()))
            .isNotEmpty();
      }
      assertThat(ci.objectKeys(ci.candidateBucket()))
          .contains(LocalCi.manifestKey(SERVICE, s.sha()));

      // S3 raises Object Created for the manifest CI uploaded; the pipeline runs to its end.
      assertThat(ci.deliverObjectCreated())
          .contains(ci.candidateBucket() + "/" + LocalCi.manifestKey(SERVICE, s.sha()));
      assertThat(ci.outcome(SERVICE, s.sha()))
          .as("executions: %s", ci.executions())
          .extracting(LocalCi.EnvironmentOutcome::status)
          .containsOnly("deployed");

      JsonNode iam = ci.iam();
      assertThat(iam.path("evaluator").asText("")).isNotEqualTo("unavailable");
      assertThat(iam.path("denied")).as(Json.pretty(iam)).isEmpty();
      assertThat(iam.at("/negative_controls/allowed_by_mistake")).isEmpty();
    }
  }

  @Test
  void aWorkflowWithoutTheCdkAssetsStep_failsNamingIt() throws Exception {
    String workflow = Files.readString(WORKFLOW);
    int start = workflow.indexOf("      - name: Publish the assets (cdk-assets");
    int end = workflow.indexOf("      - name: Create and sign the artifact manifest");
    assertThat(start).isPositive();
    String mutated = workflow.substring(0, start) + workflow.substring(end);
    Path work = Files.createTempDirectory("cairn-ci-harness-");
    Setup s = setUp(mutated, work);
    try (LocalCi ci = s.ci()) {
      assertThatThrownBy(() -> s.harness().run())
          .isInstanceOfSatisfying(
              WorkflowHarness.StepFailed.class,
              e -> assertThat(e.step).isEqualTo("cdk-assets publish"));
    }
  }

  @Test
  void aManifestCreateWithoutARequiredFlag_failsItsStep() throws Exception {
    String workflow = Files.readString(WORKFLOW);
    String flag =
        "            --cdk-cli-version \"$(cdk/node_modules/.bin/cdk --version | cut -d' ' -f1)\" \\\n";
    assertThat(workflow).contains(flag);
    Path work = Files.createTempDirectory("cairn-ci-harness-");
    Setup s = setUp(workflow.replace(flag, ""), work);
    try (LocalCi ci = s.ci()) {
      assertThatThrownBy(() -> s.harness().run())
          .isInstanceOfSatisfying(
              WorkflowHarness.StepFailed.class,
              e -> {
                assertThat(e.step)
                    .isEqualTo(
                        "Create and sign the artifact manifest (KMS alias/cdk-ci-artifact-signer)");
                assertThat(e.getMessage()).contains("exited 2", "--cdk-cli-version");
              });
      assertThat(ci.objectKeys(ci.candidateBucket())).isEmpty();
    }
  }

  @Test
  void anExpressionOutsideTheFixedMap_failsTheStepThatHoldsIt() throws Exception {
    String workflow =
        Files.readString(WORKFLOW)
            .replace(
                "role-session-name: cairn-ci-${{ github.run_id }}",
                "role-session-name: cairn-ci-${{ github.event.head_commit.id }}");
    Path work = Files.createTempDirectory("cairn-ci-harness-");
    Setup s = setUp(workflow, work);
    try (LocalCi ci = s.ci()) {
      assertThatThrownBy(() -> s.harness().run())
          .isInstanceOfSatisfying(
              WorkflowHarness.StepFailed.class,
              e -> {
                assertThat(e.step)
                    .isEqualTo("AWS credentials (OIDC, cdk-ci-artifact-builder, 15 minutes)");
                assertThat(e.getMessage()).contains("github.event.head_commit.id");
              });
    }
  }
}
