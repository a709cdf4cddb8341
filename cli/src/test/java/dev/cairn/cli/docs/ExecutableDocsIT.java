package dev.cairn.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.docs.Documentation.Block;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the documentation: every shell block without a {@code # needs:} line, and every {@code #
 * needs: sandbox} block (against a {@code cairn sandbox up} this test starts, with the export lines
 * it printed, as a second shell that pasted them), in document order, in bash, on the launcher the
 * build just made ({@code cli/bin/cairn} on the PATH, as the README's set-up leaves it). Each
 * document gets a fresh HOME and working directory; the working directory looks like the repository
 * root (a link to each top-level entry), so files a runbook writes land in the temporary directory
 * and keys under the temporary HOME. Blocks that need AWS, GitHub, the npm registry or minutes of
 * benchmark time are listed as skipped with their reason; {@code DocumentedCommandsTest} has
 * already checked their commands, flags and stack names.
 *
 * <p>{@code ./mvnw} in a block is the build this test runs inside: the working directory's {@code
 * mvnw} says so and does nothing (running Maven from inside Maven would rebuild the tree under
 * test). Runs after {@code package} (failsafe), on 2 cores in a few minutes.
 */
class ExecutableDocsIT {

  static final Path REPO = Documentation.repo();
  static final long BLOCK_TIMEOUT_MINUTES = 10;

  @TempDir Path tmp;

  /** The sandbox the {@code needs: sandbox} blocks run against, started for the first of them. */
  private dev.cairn.cli.sandbox.RunningSandbox sandbox;

  @org.junit.jupiter.api.AfterEach
  void sandboxDown() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private Map<String, String> sandboxExports() throws Exception {
    if (sandbox == null) {
      sandbox = dev.cairn.cli.sandbox.RunningSandbox.start(REPO, 60);
    }
    return sandbox.exports();
  }

  @Test
  void everyOfflineBlockRuns_andEveryOtherIsSkippedWithItsReason() throws Exception {
    assertThat(REPO.resolve("cli/target/cairn.jar")).as("run after package").isRegularFile();
    List<String> report = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    int ran = 0;
    int skipped = 0;
    int n = 0;
    // -Ddocs.only=a.md,b/README.md runs those documents only (to re-run a failure quickly).
    List<String> only =
        List.of(System.getProperty("docs.only", "").split(",")).stream()
            .filter(s -> !s.isBlank())
            .toList();
    // One reader's cache for every document (the launcher's class archives and the IAM evaluator's
    // install): a reader going through the documents has one, and the first document that runs a
    // command still makes it cold. HOME stays fresh per document, for the keys and files it writes.
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    for (Path doc : Documentation.documents(REPO)) {
      if (!only.isEmpty() && !only.contains(REPO.relativize(doc).toString())) {
        continue;
      }
      List<Block> blocks = Documentation.blocks(doc);
      if (blocks.isEmpty()) {
        continue;
      }
      Path home = Files.createDirectories(tmp.resolve("doc-" + n).resolve("home"));
      Path work = workDir(tmp.resolve("doc-" + n).resolve("work"));
      n++;
      for (Block b : blocks) {
        boolean live = b.needs().isPresent() && b.needs().get().what().equals("sandbox");
        if (b.needs().isPresent() && !live) {
          skipped++;
          report.add(
              String.format(
                  "SKIP %-40s needs %s: %s",
                  b.where(REPO), b.needs().get().what(), b.needs().get().reason()));
          continue;
        }
        ran++;
        long started = System.nanoTime();
        Result r = run(b, home, cache, work, live ? sandboxExports() : Map.of());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        report.add(
            String.format(
                "%s %-40s %d ms%s",
                r.exit() == 0 ? "RAN " : "FAIL",
                b.where(REPO),
                ms,
                live ? " (against sandbox up)" : ""));
        if (r.exit() != 0) {
          failures.add(
              b.where(REPO)
                  + " exited "
                  + r.exit()
                  + "\n--- block\n"
                  + String.join("\n", b.lines())
                  + "\n--- last output\n"
                  + tail(r.output(), 40)
                  + (live ? "\n--- sandbox up\n" + tail(sandbox.output(), 40) : ""));
        }
      }
    }
    report.add(String.format("%d blocks ran, %d skipped", ran, skipped));
    Files.writeString(
        REPO.resolve("cli/target/executable-docs.txt"), String.join("\n", report) + "\n");
    System.out.println(String.join("\n", report));
    assertThat(ran).as("blocks run").isPositive();
    assertThat(failures).as("blocks that failed").isEmpty();
    if (sandbox != null) {
      // IAM decided every call the live blocks made as it was made, and refused none.
      assertThat(sandbox.output()).doesNotContain("• IAM denied");
    }
  }

  record Result(int exit, String output) {}

  private static Result run(Block b, Path home, Path cache, Path work, Map<String, String> pasted)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(home, "block-", ".sh");
    Files.writeString(
        script,
        "set -euo pipefail\n" + String.join("\n", b.lines()) + "\n",
        StandardCharsets.UTF_8);
    Path log = Files.createTempFile(home, "block-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("HOME", home.toString());
    // What a block makes with mktemp (the README's `APP=$(mktemp -d)/cdk.out`) stays in the test's
    // temporary directory too, and goes with it; node and npm read TMPDIR as well.
    env.put("TMPDIR", Files.createDirectories(home.resolve("tmp")).toString());
    env.put("PATH", work.resolve("cli/bin") + ":" + System.getenv("PATH"));
    env.put("XDG_CACHE_HOME", cache.toString());
    // Offline: no AWS credentials or metadata service, and npm may only use its cache.
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    // npm may only use its cache: the user's, where the build's own npm ci put the packages (a
    // fresh HOME would have an empty one).
    env.put("npm_config_offline", "true");
    env.put("npm_config_cache", Path.of(System.getProperty("user.home"), ".npm").toString());
    env.put("CDK_DISABLE_VERSION_CHECK", "true");
    // A block that needs the sandbox runs in the shell the reader pasted its export lines into.
    env.putAll(pasted);
    Process p = pb.start();
    if (!p.waitFor(BLOCK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(
          124, Files.readString(log) + "\n(timed out after " + BLOCK_TIMEOUT_MINUTES + " min)");
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  /** A directory that looks like the repository root: a link per top-level entry, mvnw excepted. */
  private static Path workDir(Path work) throws IOException {
    Files.createDirectories(work);
    try (Stream<Path> entries = Files.list(REPO)) {
      for (Path e : entries.toList()) {
        String name = e.getFileName().toString();
        if (name.equals("mvnw") || name.equals(".git") || name.equals(".m2")) {
          continue;
        }
        Files.createSymbolicLink(work.resolve(name), e);
      }
    }
    Path mvnw = work.resolve("mvnw");
    Files.writeString(
        mvnw,
        "#!/bin/sh\n"
            + "echo \"docs test: not running ./mvnw $*: this test runs inside that build\" >&2\n");
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
    return work;
  }

  private static String tail(String s, int lines) {
    String[] all = s.split("\n");
    return String.join(
        "\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }
}
