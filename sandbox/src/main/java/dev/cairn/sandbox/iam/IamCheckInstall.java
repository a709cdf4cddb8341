package dev.cairn.sandbox.iam;

import dev.cairn.core.integrity.Sha256;
import dev.cairn.sandbox.Scratch;
import dev.cairn.sandbox.assembly.BundledFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where the sandbox finds its IAM evaluator: an installed {@code sandbox/iam-check} in a Cairn
 * checkout at or above the start directory, or else the copy the sandbox jar carries (Cairn's
 * script and lock files), installed once per lock file under the user's cache directory with {@code
 * npm ci}. iam-simulate is AGPL-3.0: npm fetches it on the user's machine (from npm's cache when it
 * is there), the jar never holds it.
 */
public final class IamCheckInstall {

  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);

  private IamCheckInstall() {}

  /**
   * The evaluator, or empty when node or npm is missing or the install failed; {@code notes} is
   * told what was done and why it failed.
   */
  public static Optional<IamEvaluator> locate(
      Path start, Clock clock, Duration timeout, Consumer<String> notes) {
    Optional<IamEvaluator> checkout = IamEvaluator.locate(start, clock, timeout);
    if (checkout.isPresent()) {
      return checkout;
    }
    Optional<Path> node = IamEvaluator.nodeOnPath(System.getenv("PATH"));
    if (node.isEmpty()) {
      notes.accept("IAM check: node is not on PATH");
      return Optional.empty();
    }
    try {
      Path dir = installed(cacheRoot(), notes);
      return dir == null
          ? Optional.empty()
          : Optional.of(new IamEvaluator(node.get(), dir.resolve("evaluate.mjs"), clock, timeout));
    } catch (IOException e) {
      notes.accept("IAM check: cannot install the evaluator: " + e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** {@code $XDG_CACHE_HOME/cairn} or {@code ~/.cache/cairn}. */
  static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("cairn");
  }

  /** What the jar bundles of the evaluator; the cache directory is named after all of it. */
  static final List<String> FILES = List.of("evaluate.mjs", "package.json", "package-lock.json");

  /**
   * The bundled evaluator under {@code cache/iam-check/<hash of its files>}, installed with {@code
   * npm ci} unless an earlier run did; null when npm failed. The name covers the script as well as
   * the lock file: a jar whose script changed under the same packages must not find and run the
   * script an older jar installed there.
   */
  static Path installed(Path cache, Consumer<String> notes)
      throws IOException, InterruptedException {
    // The jar's files, copied out to be hashed and installed; removed once they are.
    try (Scratch staging = Scratch.create("cairn-iam-check-")) {
      BundledFiles.copy(BundledFiles.IAM_CHECK, staging.path());
      return installed(cache, staging.path(), notes);
    }
  }

  private static Path installed(Path cache, Path staging, Consumer<String> notes)
      throws IOException, InterruptedException {
    Path dir = cache.resolve("iam-check").resolve(contentName(staging));
    if (Files.isRegularFile(dir.resolve("node_modules/@cloud-copilot/iam-simulate/package.json"))) {
      return dir;
    }
    Files.createDirectories(dir);
    for (String f : FILES) {
      Files.copy(
          staging.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    notes.accept("IAM check: installing the evaluator's pinned packages in " + dir + " (npm ci)");
    Process npm =
        new ProcessBuilder(
                "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("npm-ci.log").toFile())
            .start();
    if (!npm.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      notes.accept("IAM check: npm ci timed out; see " + dir.resolve("npm-ci.log"));
      return null;
    }
    if (npm.exitValue() != 0) {
      notes.accept(
          "IAM check: npm ci failed (exit "
              + npm.exitValue()
              + "); see "
              + dir.resolve("npm-ci.log"));
      return null;
    }
    return dir;
  }

  /** The first 16 hex digits of SHA-256 over each bundled file's name and bytes, in order. */
  static String contentName(Path files) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (String f : FILES) {
      byte[] bytes = Files.readAllBytes(files.resolve(f));
      all.writeBytes(
          (f + "\n" + bytes.length + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      all.writeBytes(bytes);
    }
    return Sha256.hex(all.toByteArray()).substring(0, 16);
  }
}
