package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScratchTest {

  @TempDir Path tmp;

  @Test
  void close_removesTheDirectoryAndEverythingInIt() throws Exception {
    Scratch s = Scratch.create("cairn-scratch-test-");
    Path nested = Files.createDirectories(s.path().resolve("a/b/c"));
    Files.writeString(nested.resolve("file.txt"), "x");
    Files.writeString(s.path().resolve("top.txt"), "y");

    s.close();

    assertThat(s.path()).doesNotExist();
    s.close(); // twice is harmless
  }

  @Test
  void close_removesLinksInside_neverWhatTheyPointTo() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside/dir"));
    Path outsideFile = Files.writeString(outside.resolve("keep.txt"), "keep");
    Scratch s = Scratch.create("cairn-scratch-test-");
    Files.createSymbolicLink(s.path().resolve("to-dir"), outside);
    Files.createSymbolicLink(s.path().resolve("to-file"), outsideFile);
    Path sub = Files.createDirectories(s.path().resolve("sub"));
    Files.createSymbolicLink(sub.resolve("to-parent"), tmp.resolve("outside"));

    s.close();

    assertThat(s.path()).doesNotExist();
    assertThat(outsideFile).hasContent("keep");
    assertThat(outside).isDirectory();
  }

  @Test
  void deleteTree_ofALinkToADirectory_removesOnlyTheLink() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("target"));
    Files.writeString(target.resolve("keep.txt"), "keep");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);

    Scratch.deleteTree(link);

    assertThat(link).doesNotExist();
    assertThat(target.resolve("keep.txt")).hasContent("keep");
  }

  @Test
  void deleteTree_ofWhatIsGone_isNoError() throws Exception {
    Scratch.deleteTree(tmp.resolve("never-made"));
  }

  /**
   * A JVM that ends without {@link Scratch#close()}, by {@code System.exit} or by SIGTERM (what
   * Ctrl-C's shutdown runs), still removes its scratch directory: the shutdown hook.
   */
  @ParameterizedTest
  @ValueSource(strings = {"exit", "sigterm"})
  void aJvmThatStopsWithoutClose_removesItsScratchDirectory(String how) throws Exception {
    Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpdir,
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                how)
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String ready = out.readLine();
    assertThat(ready).startsWith("ready ");
    Path made = Path.of(ready.substring("ready ".length()));
    assertThat(made.getParent()).isEqualTo(tmpdir);
    if (how.equals("sigterm")) {
      assertThat(made.resolve("work/file.txt")).isRegularFile();
      p.destroy(); // SIGTERM
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    try (Stream<Path> left = Files.list(tmpdir)) {
      assertThat(left.toList()).isEqualTo(List.of());
    }
  }

  /** Makes a scratch directory with a file in it, says where, then exits or waits to be killed. */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      Scratch s = Scratch.create("cairn-scratch-holder-");
      Files.writeString(Files.createDirectories(s.path().resolve("work")).resolve("file.txt"), "x");
      System.out.println("ready " + s.path());
      System.out.flush();
      if (args[0].equals("exit")) {
        System.exit(0);
      }
      Thread.sleep(TimeUnit.MINUTES.toMillis(2));
    }
  }
}
