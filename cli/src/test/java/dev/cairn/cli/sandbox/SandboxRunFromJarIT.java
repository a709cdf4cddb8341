package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The released jar alone runs {@code sandbox run --cdk-out}: started from a temporary directory
 * with a fresh HOME and cache, far from any Cairn checkout, on a copy of a cloud assembly. The IAM
 * evaluator is the one the jar carries, installed by npm (from npm's cache when offline).
 */
class SandboxRunFromJarIT {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path JAR = REPO.resolve("cli/target/cairn.jar");

  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  Result cairn(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path home = Files.createDirectories(tmp.resolve("home"));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectOutput(tmp.resolve("out.txt").toFile())
            .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    // npm's own cache stays the user's, so the pinned packages come from it offline.
    pb.environment()
        .putIfAbsent(
            "npm_config_cache", Path.of(System.getProperty("user.home"), ".npm").toString());
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void cdkOut_fromATempDirectoryWithoutCheckout_promotesAndChecksIam() throws Exception {
    assertThat(JAR).as("run after package").isRegularFile();
    Path cdkOut = tmp.resolve("my-app/cdk.out");
    ExampleCdkOut.copyTo(cdkOut);

    Result r =
        cairn(
            "sandbox",
            "run",
            "--cdk-out",
            "my-app/cdk.out",
            "--service",
            "my-app",
            "--environments",
            "stage=111111111111,prod=222222222222",
            "--format",
            "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode summary = Json.parse(r.out().getBytes(StandardCharsets.UTF_8));
    assertThat(summary.at("/artifacts/0/status").asText()).isEqualTo("promoted");
    assertThat(summary.at("/deployed_stacks/prod/0/stack").asText()).isEqualTo("hello-prod-data");
    assertThat(summary.at("/iam/evaluator").isMissingNode())
        .as(summary.at("/iam").toString())
        .isTrue();
    assertThat(summary.at("/iam/calls_checked").asInt()).isPositive();
    assertThat(summary.at("/iam/denied")).isEmpty();
  }

  @Test
  void theExampleRun_fromATempDirectoryWithoutCheckout_completes() throws Exception {
    Result r = cairn("sandbox", "run", "--format", "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode summary = Json.parse(r.out().getBytes(StandardCharsets.UTF_8));
    assertThat(summary.at("/artifacts/0/service").asText()).isEqualTo("hello-service");
    assertThat(summary.at("/artifacts/0/status").asText()).isEqualTo("promoted");
    // The shipped jar logs through logback, not the Lambdas' log4j2: no library may complain about
    // it (Powertools did, on every run, until handlers skipped it without a Lambda context).
    assertThat(r.out() + r.err())
        .doesNotContain("LoggingManager", "SLF4J", "ERROR.", "sqlite", "jetty");
  }
}
