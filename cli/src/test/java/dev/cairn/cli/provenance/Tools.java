package dev.cairn.cli.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real {@code git}, {@code gpg} and {@code ssh-keygen} in a throw-away home: no user configuration,
 * no agent left behind. Outside CI a missing tool skips the test; in CI ({@code CI=true}) it fails
 * it, since {@code .ci/run} installs them.
 */
public final class Tools {

  private final Path home;

  public Tools(Path home) {
    this.home = home;
  }

  public static void require(String... tools) {
    for (String tool : tools) {
      boolean present;
      try {
        present =
            new ProcessBuilder(tool, "--version").start().waitFor() == 0
                || new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
      } catch (IOException e) {
        present = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        present = false;
      }
      if ("true".equals(System.getenv("CI"))) {
        assertThat(present).as(tool + " must be installed in CI (.ci/run installs it)").isTrue();
      } else {
        Assumptions.assumeTrue(present, tool + " is not installed");
      }
    }
  }

  /** Runs {@code cmd} in {@code dir}; returns stdout; fails with stderr on a non-zero exit. */
  public String run(Path dir, String... cmd) throws Exception {
    Result r = exec(dir, cmd);
    if (r.exit != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.err);
    }
    return r.out;
  }

  public record Result(int exit, String out, String err) {}

  public Result exec(Path dir, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.put("HOME", home.toString());
    env.put("GNUPGHOME", home.resolve(".gnupg").toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_AUTHOR_DATE", "2026-12-06T09:00:00Z");
    env.put("GIT_COMMITTER_DATE", "2026-12-06T09:00:00Z");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    var err =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "";
              }
            });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " timed out");
    }
    return new Result(p.exitValue(), out, err.join());
  }

  /** A gpg key (no passphrase): returns its fingerprint. */
  public String gpgKey(String userId, String algo) throws Exception {
    java.nio.file.Files.createDirectories(home.resolve(".gnupg"));
    java.nio.file.Files.setPosixFilePermissions(
        home.resolve(".gnupg"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    run(
        home,
        "gpg",
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-gen-key",
        userId,
        algo,
        "sign,cert",
        "1y");
    String colons = run(home, "gpg", "--batch", "--with-colons", "--list-secret-keys", userId);
    for (String line : colons.split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new IllegalStateException("no fingerprint for " + userId);
  }

  public String gpgExport(String... fingerprints) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--armor", "--export"));
    cmd.addAll(List.of(fingerprints));
    return run(home, cmd.toArray(String[]::new));
  }

  public void stopAgent() {
    try {
      exec(home, "gpgconf", "--kill", "all");
    } catch (Exception e) {
      // best effort: the agent dies with its socket directory
    }
  }

  public Path home() {
    return home;
  }
}
