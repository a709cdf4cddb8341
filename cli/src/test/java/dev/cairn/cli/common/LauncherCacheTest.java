package dev.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code cli/bin/cairn}) as a user runs it, on a small jar built here that prints its
 * arguments as JSON (so the test does not wait for {@code cairn.jar}): the class-data sharing
 * archive on JDK 17, the per-command AOT cache on JDK 25 and later, and in every case a standard
 * output that holds the program's output and nothing else, so {@code --format json} stays parseable
 * on the run that creates the cache.
 */
class LauncherCacheTest {

  static final Path LAUNCHER = Path.of("bin/cairn").toAbsolutePath();

  /** The JDK 25 this machine type ships beside the default JDK, or {@code CAIRN_TEST_JDK25}. */
  static final Path JDK25 =
      Path.of(
          System.getenv()
              .getOrDefault("CAIRN_TEST_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));

  @TempDir static Path tmp;
  static Path jar;

  @BeforeAll
  static void echoJar() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(
        src.resolve("Echo.java"),
        """
        public class Echo {
          public static void main(String[] args) {
            String jar = new java.io.File(
                Echo.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getName();
            System.out.println(
                "{\\"jar\\":\\"" + jar + "\\",\\"args\\":\\"" + String.join(" ", args) + "\\"}");
          }
        }
        """);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "--release",
                "17",
                "-d",
                classes.toString(),
                src.resolve("Echo.java").toString());
    assertThat(rc).isZero();
    jar = tmp.resolve("echo.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.putNextEntry(new JarEntry("Echo.class"));
      j.write(Files.readAllBytes(classes.resolve("Echo.class")));
      j.closeEntry();
    }
    // The sandbox ships beside it: the launcher runs that jar for `cairn sandbox`.
    Files.copy(jar, tmp.resolve("cairn-sandbox.jar"));
  }

  record Run(int exit, String stdout, String stderr) {}

  static Run launch(String java, Path cache, String... args) throws Exception {
    return launch(jar, java, cache, args);
  }

  static Run launch(Path jar, String java, Path cache, String... args) throws Exception {
    List<String> command = Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList();
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("CAIRN_JAR", jar.toString());
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("JAVA", java);
    env.remove("CAIRN_JAVA_OPTS");
    env.remove("CAIRN_CDS");
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("launcher finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static List<String> cacheFiles(Path cache) throws IOException {
    Path dir = cache.resolve("cairn");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void jdk17_dumpsAnArchivePerCommand_thenMapsIt_stdoutOnlyTheProgram() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache17"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assumeTrue(Runtime.version().feature() < 25, "the build's JDK is 17");

    Run first = launch(java, cache, "manifest", "verify", "--format", "json");
    assertThat(first.exit()).isZero();
    assertThat(first.stdout())
        .isEqualTo("{\"jar\":\"echo.jar\",\"args\":\"manifest verify --format json\"}\n");
    assertThat(cacheFiles(cache)).singleElement().asString().endsWith("-manifest-verify.jsa");
    Path jsa = cache.resolve("cairn").resolve(cacheFiles(cache).get(0));
    FileTime dumped = Files.getLastModifiedTime(jsa);

    Run again = launch(java, cache, "manifest", "verify", "--format", "json");
    assertThat(again.stdout()).isEqualTo(first.stdout());
    assertThat(again.stderr()).isEmpty();
    assertThat(cacheFiles(cache)).hasSize(1);
    assertThat(Files.getLastModifiedTime(jsa)).isEqualTo(dumped);

    // An archive holds the classes its dumping run loaded: another command dumps its own.
    Run other = launch(java, cache, "audit", "verify");
    assertThat(other.stdout()).isEqualTo("{\"jar\":\"echo.jar\",\"args\":\"audit verify\"}\n");
    assertThat(other.stderr()).isEmpty();
    assertThat(cacheFiles(cache)).hasSize(2).anyMatch(f -> f.endsWith("-audit-verify.jsa"));
  }

  @Test
  void jdk17_aRebuiltJarReplacesItsOwnArchive_andLeavesTheOtherJars() throws Exception {
    assumeTrue(Runtime.version().feature() < 25, "the build's JDK is 17");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path cache = Files.createDirectories(tmp.resolve("cache17-rebuilt"));
    Path dist = Files.createDirectories(tmp.resolve("rebuilt"));
    Path cli = Files.copy(jar, dist.resolve("cairn.jar"));
    Files.copy(jar, dist.resolve("cairn-sandbox.jar"));

    assertThat(launch(cli, java, cache, "manifest", "verify").exit()).isZero();
    assertThat(launch(cli, java, cache, "sandbox", "run").exit()).isZero();
    List<String> before = cacheFiles(cache);
    assertThat(before)
        .hasSize(2)
        .anyMatch(f -> f.matches("cairn-\\d+-\\d+-manifest-verify\\.jsa"))
        .anyMatch(f -> f.matches("cairn-sandbox-\\d+-\\d+\\.jsa"));

    // A rebuild: same size, a later mtime. Its first run makes a new archive and removes the
    // earlier build's; the sandbox jar was not rebuilt and keeps its archive.
    Files.setLastModifiedTime(
        cli, FileTime.fromMillis(Files.getLastModifiedTime(cli).toMillis() + 60_000));
    assertThat(launch(cli, java, cache, "manifest", "verify").exit()).isZero();
    List<String> after = cacheFiles(cache);
    assertThat(after).hasSize(2);
    assertThat(after)
        .contains(
            before.stream().filter(f -> f.startsWith("cairn-sandbox-")).findFirst().orElseThrow());
    assertThat(after)
        .doesNotContainAnyElementsOf(
            before.stream().filter(f -> !f.startsWith("cairn-sandbox-")).toList());
  }

  @Test
  void jdk17_aCommandsArchive_removesEarlierBuildsOneArchivePerJar_andKeepsThisBuilds()
      throws Exception {
    assumeTrue(Runtime.version().feature() < 25, "the build's JDK is 17");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path cache = Files.createDirectories(tmp.resolve("cache17-old-kind").resolve("cairn"));
    Path dist = Files.createDirectories(tmp.resolve("old-kind"));
    Path cli = Files.copy(jar, dist.resolve("cairn.jar"));
    String key = Files.size(cli) + "-" + Files.getLastModifiedTime(cli).toMillis() / 1000;
    // An earlier build's one-per-jar archive, this build's (the dashboard maps it), another jar's.
    for (String f :
        List.of("cairn-123-456.jsa", "cairn-" + key + ".jsa", "cairn-sandbox-1-2.jsa")) {
      Files.writeString(cache.resolve(f), "archive");
    }

    assertThat(launch(cli, java, cache.getParent(), "manifest", "verify").exit()).isZero();

    assertThat(cacheFiles(cache.getParent()))
        .contains("cairn-" + key + ".jsa", "cairn-sandbox-1-2.jsa")
        .doesNotContain("cairn-123-456.jsa")
        .anyMatch(f -> f.endsWith("-manifest-verify.jsa"));
  }

  @Test
  void jdk25_trainsACachePerCommand_thenMapsIt_stdoutOnlyTheProgram() throws Exception {
    assumeTrue(Files.isExecutable(JDK25), "a JDK 25 at " + JDK25);
    Path cache = Files.createDirectories(tmp.resolve("cache25"));

    Run training = launch(JDK25.toString(), cache, "manifest", "verify", "--format", "json");
    assertThat(training.exit()).isZero();
    // The JVM's own lines about the cache go to stderr; stdout is the program's JSON alone.
    assertThat(training.stdout())
        .isEqualTo("{\"jar\":\"echo.jar\",\"args\":\"manifest verify --format json\"}\n");
    assertThat(training.stderr()).contains("AOTCache creation is complete");
    assertThat(cacheFiles(cache)).singleElement().asString().endsWith("-manifest-verify.aot");
    Path aot = cache.resolve("cairn").resolve(cacheFiles(cache).get(0));
    FileTime trained = Files.getLastModifiedTime(aot);

    Run mapped = launch(JDK25.toString(), cache, "manifest", "verify", "--format", "json");
    assertThat(mapped.exit()).isZero();
    assertThat(mapped.stdout()).isEqualTo(training.stdout());
    assertThat(mapped.stderr()).isEmpty();
    assertThat(Files.getLastModifiedTime(aot)).isEqualTo(trained);

    // Another command trains its own: a cache trained on one command carries nothing for another.
    launch(JDK25.toString(), cache, "audit", "verify", "--file", "x.jsonl");
    assertThat(cacheFiles(cache)).anyMatch(f -> f.endsWith("-audit-verify.aot")).hasSize(2);
  }

  @Test
  void jdk25_sandboxKeepsTheClassArchive_itRunsUntilInterrupted() throws Exception {
    assumeTrue(Files.isExecutable(JDK25), "a JDK 25 at " + JDK25);
    Path cache = Files.createDirectories(tmp.resolve("cache25-sandbox"));

    Run run = launch(JDK25.toString(), cache, "sandbox", "up");
    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).isEqualTo("{\"jar\":\"cairn-sandbox.jar\",\"args\":\"sandbox up\"}\n");
    assertThat(cacheFiles(cache)).singleElement().asString().endsWith(".jsa");
  }

  @Test
  void cdsOff_leavesNoCache() throws Exception {
    Path cache = Files.createDirectories(tmp.resolve("cache-off"));
    ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--version");
    pb.environment().put("CAIRN_JAR", jar.toString());
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().put("CAIRN_CDS", "0");
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(out).isEqualTo("{\"jar\":\"echo.jar\",\"args\":\"--version\"}\n");
    assertThat(cacheFiles(cache)).isEmpty();
  }
}
