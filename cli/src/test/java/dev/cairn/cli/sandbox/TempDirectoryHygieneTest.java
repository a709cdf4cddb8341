package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code cairn sandbox run} and {@code cairn sandbox up} leave in the temporary directory:
 * nothing. Each runs as its own process, the real command, with {@code java.io.tmpdir} pointed at a
 * fresh empty directory, which must be empty again once the process is gone: after a normal end,
 * and for {@code sandbox up} after SIGTERM too (what Ctrl-C's shutdown runs). A {@code --state-dir}
 * the user names is theirs, and stays.
 */
class TempDirectoryHygieneTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Pattern EXPORT = Pattern.compile("(?m)^export ([A-Z0-9_]+)=(.*)$");

  /** The IAM evaluator's install, shared by the runs (npm ci once); never under the temp dir. */
  @TempDir static Path cache;

  @TempDir Path dir;

  /**
   * {@code cairn args} as a process in {@code cwd}, its {@code java.io.tmpdir} {@code tmpdir},
   * output to {@code out}.
   */
  static Process cairn(Path tmpdir, Path cwd, Path out, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpdir,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cairn.cli.CairnCli"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    // npm's own cache stays the user's, so the evaluator's pinned packages come from it offline.
    pb.environment()
        .putIfAbsent(
            "npm_config_cache", Path.of(System.getProperty("user.home"), ".npm").toString());
    return pb.start();
  }

  static List<String> entries(Path tmpdir) throws IOException {
    try (Stream<Path> s = Files.list(tmpdir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * Far from any Cairn checkout (so the evaluator the jar carries is installed, as a user's first
   * run does), the example run and the one that builds an attacker's image context.
   */
  @ParameterizedTest
  @ValueSource(strings = {"happy", "ci-pushes-other-image-under-signed-tag"})
  void sandboxRun_leavesTheTempDirectoryAsItFoundIt(String scenario) throws Exception {
    Path tmpdir = Files.createDirectories(dir.resolve("tmpdir"));
    Path cwd = Files.createDirectories(dir.resolve("elsewhere"));
    Path out = dir.resolve("out.txt");

    Process p = cairn(tmpdir, cwd, out, "sandbox", "run", "--scenario", scenario);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();

    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("local services up");
    assertThat(entries(tmpdir)).as("left in java.io.tmpdir\n" + output).isEmpty();
  }

  /** Stopped mid-run (SIGTERM, as Ctrl-C's shutdown): the shutdown hooks remove what it made. */
  @Test
  void sandboxRun_stoppedWithSigterm_leavesTheTempDirectoryAsItFoundIt() throws Exception {
    Path tmpdir = Files.createDirectories(dir.resolve("tmpdir"));
    Path out = dir.resolve("out.txt");
    Process p = cairn(tmpdir, dir, out, "sandbox", "run", "--repo", REPO.toString());
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      // The example's copy is made before the local services start.
      while (!Files.readString(out).contains("local services up")) {
        assertThat(p.isAlive() && System.nanoTime() < deadline)
            .as("sandbox run started\n" + Files.readString(out))
            .isTrue();
        Thread.sleep(100);
      }
      assertThat(entries(tmpdir)).anyMatch(e -> e.startsWith("cairn-sandbox-example-"));
    } finally {
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    assertThat(entries(tmpdir)).as("left in java.io.tmpdir\n" + Files.readString(out)).isEmpty();
  }

  /** With {@code --cdk-out}, the user's assembly is read where it is, and stays. */
  @Test
  void sandboxRun_cdkOut_leavesTheTempDirectoryAsItFoundIt_andTheAssemblyInPlace()
      throws Exception {
    Path tmpdir = Files.createDirectories(dir.resolve("tmpdir"));
    Path cwd = Files.createDirectories(dir.resolve("elsewhere"));
    Path cdkOut = cwd.resolve("my-app/cdk.out");
    ExampleCdkOut.copyTo(cdkOut);
    Path out = dir.resolve("out.txt");

    Process p =
        cairn(
            tmpdir,
            cwd,
            out,
            "sandbox",
            "run",
            "--cdk-out",
            "my-app/cdk.out",
            "--service",
            "my-app",
            "--environments",
            "stage=111111111111,prod=222222222222");
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();

    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(cdkOut.resolve("manifest.json")).isRegularFile();
    assertThat(entries(tmpdir)).as("left in java.io.tmpdir\n" + output).isEmpty();
  }

  @Test
  void sandboxUp_stoppedWithSigterm_removesItsStateDirectory() throws Exception {
    Path tmpdir = Files.createDirectories(dir.resolve("tmpdir"));
    Path out = dir.resolve("out.txt");
    Process p = cairn(tmpdir, dir, out, RunningSandbox.upArguments(REPO));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (!Files.readString(out).contains("Ctrl-C stops the sandbox")) {
        assertThat(p.isAlive() && System.nanoTime() < deadline)
            .as("sandbox up came up\n" + Files.readString(out))
            .isTrue();
        Thread.sleep(200);
      }
      // While it runs, the files it printed are there for the second shell, under the temp dir.
      Matcher m = EXPORT.matcher(Files.readString(out));
      Path trustPolicy = null;
      while (m.find()) {
        if (m.group(1).equals("CAIRN_TRUST_POLICY")) {
          trustPolicy = Path.of(m.group(2));
        }
      }
      assertThat(trustPolicy).as(Files.readString(out)).isNotNull().isRegularFile();
      assertThat(trustPolicy.getParent().getParent()).isEqualTo(tmpdir);
    } finally {
      p.destroy(); // SIGTERM: the JVM's shutdown, as for Ctrl-C
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    assertThat(entries(tmpdir)).as("left in java.io.tmpdir\n" + Files.readString(out)).isEmpty();
  }

  @Test
  void sandboxUp_withStateDir_keepsWhatItWroteThere() throws Exception {
    Path tmpdir = Files.createDirectories(dir.resolve("tmpdir"));
    Path state = dir.resolve("state");
    Path out = dir.resolve("out.txt");
    Process p =
        cairn(
            tmpdir,
            dir,
            out,
            RunningSandbox.upArguments(REPO, "--state-dir", state.toString(), "--exit-when-ready"));
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(out)).isZero();

    assertThat(entries(state))
        .containsExactly(
            "ci-signer.pem", "context-bless.json", "context.json", "trust-policy.json");
    assertThat(entries(tmpdir)).as("left in java.io.tmpdir\n" + Files.readString(out)).isEmpty();
  }
}
