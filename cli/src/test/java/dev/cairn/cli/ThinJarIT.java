package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn.jar}, the jar CI runs with its signing role, as the build packaged it: no emulator,
 * local server, synthesized control plane or test code inside, and {@code cairn sandbox} still
 * works through {@code cairn-sandbox.jar} beside it (and says plainly when that jar is missing).
 */
class ThinJarIT {

  static final Path TARGET = Path.of("target").toAbsolutePath();
  static final Path CLI_JAR = TARGET.resolve("cairn.jar");
  static final Path SANDBOX_JAR = TARGET.resolve("cairn-sandbox.jar");

  /** Package prefixes that belong to the sandbox only: emulators, local servers, CDK, tests. */
  static final List<String> SANDBOX_ONLY =
      List.of(
          "dev/cairn/sandbox/",
          "dev/cairn/local/",
          "dev/cairn/testsupport/",
          "dev/cairn/cli/sandbox/",
          "dev/cairn/cdk/",
          "dev/cairn/lambda/",
          "com/amazonaws/services/dynamodbv2/local/",
          "org/gaul/s3proxy/",
          "org/eclipse/jetty/",
          "org/junit/",
          "software/amazon/awscdk/",
          "software/amazon/jsii/",
          "software/amazon/event/ruler/",
          // The Lambdas' runtime: Powertools, the Lambda API, CRaC, log4j, their wiring and
          // adapter modules (cairn-aws-runtime, cairn-aws-sfn, ...).
          "software/amazon/lambda/",
          "com/amazonaws/services/lambda/runtime/",
          "org/crac/",
          "org/apache/logging/log4j/",
          "dev/cairn/aws/runtime/ControlPlaneWiring",
          "dev/cairn/aws/runtime/Priming",
          "dev/cairn/aws/metrics/",
          "dev/cairn/aws/sts/",
          "dev/cairn/aws/cloudformation/",
          "dev/cairn/aws/cloudwatch/",
          "dev/cairn/aws/sfn/",
          "dev/cairn/aws/events/",
          // The clients only the control plane calls.
          "software/amazon/awssdk/services/cloudformation/",
          "software/amazon/awssdk/services/cloudtraildata/",
          "software/amazon/awssdk/services/cloudwatch/",
          "software/amazon/awssdk/services/codebuild/",
          "software/amazon/awssdk/services/ecr/",
          "software/amazon/awssdk/services/eventbridge/",
          "software/amazon/awssdk/services/sns/",
          "software/amazon/awssdk/services/ssm/");

  @Test
  void cliJar_carriesNoSandboxCode_andStaysSmall() throws IOException {
    try (JarFile jar = new JarFile(CLI_JAR.toFile())) {
      List<String> leaked =
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> SANDBOX_ONLY.stream().anyMatch(n::startsWith))
              .limit(20)
              .collect(Collectors.toList());
      assertThat(leaked).as("sandbox-only entries in cairn.jar").isEmpty();
    }
    try (JarFile jar = new JarFile(SANDBOX_JAR.toFile())) {
      // The same filter finds them in the sandbox jar: the check looks where they would be.
      assertThat(jar.getEntry("dev/cairn/cli/sandbox/SandboxCommand.class")).isNotNull();
      assertThat(jar.getEntry("org/gaul/s3proxy/S3Proxy.class")).isNotNull();
    }
    // 243 MB with the sandbox inside, 35 MB with the Lambdas' runtime; the bound for the
    // CI-facing jar is 30 MB, 30,000,000 bytes (bench/README.md has the figures).
    assertThat(Files.size(CLI_JAR)).isLessThanOrEqualTo(30_000_000L);
  }

  @Test
  void cliJar_namesNoBouncyCastleClassItLacks() throws IOException {
    // The shade filter leaves BouncyCastle's JCA provider, PQC and unused protocols out
    // (docs/decisions/2026-12-07-bouncycastle-parts-shipped.md): no class Cairn reaches names one.
    assertThat(
            dev.cairn.testsupport.lambda.JarClosure.of(CLI_JAR)
                .missing("dev/cairn/", "org/bouncycastle/"))
        .isEmpty();
  }

  @Test
  void sandboxCommand_runsFromTheSandboxJarBesideIt() throws Exception {
    Run r = run(CLI_JAR, "sandbox", "run", "--help");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("Usage: cairn sandbox run").contains("--scenario");
  }

  @Test
  void withoutTheSandboxJar_sandboxSaysWhatIsMissing_andOtherCommandsWork(@TempDir Path tmp)
      throws Exception {
    Path alone = Files.copy(CLI_JAR, tmp.resolve("cairn.jar"));

    Run sandbox = run(alone, "sandbox", "run");
    assertThat(sandbox.exit()).isEqualTo(2);
    assertThat(sandbox.output())
        .contains("cairn-sandbox.jar, which is not beside this jar")
        .contains(tmp.resolve("cairn-sandbox.jar").toString());

    Run key =
        run(
            alone,
            "key",
            "generate",
            "--algorithm",
            "ecdsa-p256",
            "--private-key-out",
            tmp.resolve("k.pem").toString(),
            "--public-key-out",
            tmp.resolve("k.pub.pem").toString());
    assertThat(key.exit()).as(key.output()).isZero();
    assertThat(tmp.resolve("k.pub.pem")).isRegularFile();

    // An AWS call (to a closed port): the SDK logs through SLF4J, which has no provider here and
    // must not say so on every command.
    Run status =
        run(
            java.util.Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "x",
                "AWS_SECRET_ACCESS_KEY", "y",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9",
                "AWS_MAX_ATTEMPTS", "1"),
            alone,
            "status",
            "--service",
            "x",
            "--commit",
            "0123456789abcdef0123456789abcdef01234567");
    assertThat(status.exit()).isEqualTo(2);
    assertThat(status.output()).contains("Unable to execute HTTP request").doesNotContain("SLF4J");
  }

  record Run(int exit, String output) {}

  static Run run(Path jar, String... args) throws Exception {
    return run(java.util.Map.of(), jar, args);
  }

  static Run run(java.util.Map<String, String> env, Path jar, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), out);
  }
}
