package dev.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CliIo#writeAtomically}: the whole new file or the old one, and never a stray temp file.
 */
class AtomicWriteTest {

  @TempDir Path dir;

  @Test
  void writeAtomically_replacesTheFile_withNothingElseLeft_ownerOnlyWhenPrivate()
      throws IOException {
    Path file = dir.resolve("key.pem");
    Files.writeString(file, "old");

    CliIo.writeAtomically(file, true, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));

    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(names(dir)).containsExactly("key.pem");
  }

  @Test
  void writeAtomically_whenTheContentFailsMidway_keepsTheOldFile_andRemovesTheTemporaryOne()
      throws IOException {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "old export\n");

    assertThatThrownBy(
            () ->
                CliIo.writeAtomically(
                    file,
                    false,
                    out -> {
                      out.write("half an export".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("the table read failed");
                    }))
        .hasMessage("the table read failed");
    assertThat(Files.readString(file)).isEqualTo("old export\n");
    assertThat(names(dir)).containsExactly("audit.jsonl");

    // An unchecked failure (an SDK error while streaming) cleans up the same way.
    assertThatThrownBy(
            () ->
                CliIo.writeAtomically(
                    file,
                    false,
                    out -> {
                      throw new IllegalStateException("throttled");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(names(dir)).containsExactly("audit.jsonl");
  }

  @Test
  void writeAtomically_whenTheRenameFails_removesTheTemporaryFile() throws IOException {
    Path occupied = dir.resolve("report.json");
    Files.createDirectories(occupied.resolve("inside"));

    assertThatThrownBy(() -> CliIo.writeAtomically(occupied, false, out -> out.write('x')))
        .isInstanceOf(java.nio.file.FileSystemException.class);
    assertThat(names(dir)).containsExactly("report.json");
  }

  @Test
  void writeString_whenItCannotWrite_isAUsageError_namingTheFile_andLeavesNothing()
      throws IOException {
    Path occupied = dir.resolve("out.json");
    Files.createDirectories(occupied.resolve("inside"));

    assertThatThrownBy(() -> CliIo.writeString(occupied, "{}", false))
        .isInstanceOf(CliIo.UsageException.class)
        .hasMessageStartingWith("cannot write " + occupied);
    assertThat(names(dir)).containsExactly("out.json");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
