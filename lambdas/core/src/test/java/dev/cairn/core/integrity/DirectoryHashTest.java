package dev.cairn.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryHashTest {

  @TempDir Path tmp;

  /**
   * Known answer, computed outside Java with coreutils: {@code find . -type f -printf '%P\0' |
   * LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum} over these four files.
   */
  @Test
  void compute_knownAnswerVector() {
    Map<String, String> files =
        Map.of(
            "Z/empty", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "a.txt", "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7",
            "dir/b.txt", "0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f",
            "\u00e9.txt", "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    assertThat(DirectoryHash.compute(files))
        .isEqualTo("556a350440da2b65d9dab76c2d4af365f369eee0b686ed8ec95835231cfa53ea");
  }

  @Test
  void compute_matchesSha256sumLinesBuiltInTheTest() {
    Map<String, String> files = new TreeMap<>();
    files.put("b", Sha256.hex("2".getBytes(StandardCharsets.UTF_8)));
    files.put("a/z", Sha256.hex("1".getBytes(StandardCharsets.UTF_8)));
    StringBuilder lines = new StringBuilder();
    lines.append(files.get("a/z")).append("  a/z\n");
    lines.append(files.get("b")).append("  b\n");
    assertThat(DirectoryHash.compute(files))
        .isEqualTo(Sha256.hex(lines.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void compute_manyLines_acrossTheBufferBoundaries_matchesTheLinesDigestedWhole() {
    // About 250 KB of lines: the digest is fed a buffer at a time, with lines split nowhere.
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 2_500; i++) {
      String path = "dir" + (i % 7) + "/" + "f".repeat(i % 90) + i + ".json";
      files.put(path, Sha256.hex(path.getBytes(StandardCharsets.UTF_8)));
    }
    StringBuilder lines = new StringBuilder();
    files.forEach((path, hash) -> lines.append(hash).append("  ").append(path).append('\n'));
    assertThat(lines.length()).isGreaterThan(3 * 64 * 1024);
    assertThat(DirectoryHash.compute(files))
        .isEqualTo(Sha256.hex(lines.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(DirectoryHash.compute(new java.util.HashMap<>(files)))
        .isEqualTo(DirectoryHash.compute(files));
  }

  @Test
  void compute_sortsByUtf8BytesNotUtf16() {
    // U+FF21 sorts after U+1F600 in UTF-16 (D83D < FF21) but before it in UTF-8 (EF < F0).
    String fullwidth = "\uff21";
    String emoji = "\ud83d\ude00";
    String h = "0".repeat(64);
    String expected =
        Sha256.hex(
            (h + "  " + fullwidth + "\n" + h + "  " + emoji + "\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(DirectoryHash.compute(Map.of(emoji, h, fullwidth, h))).isEqualTo(expected);
  }

  @Test
  void compute_treeMapWithSurrogates_stillSortsByUtf8Bytes() {
    // A TreeMap iterates in UTF-16 order; compute trusts that order only for BMP-only paths.
    String h = "0".repeat(64);
    Map<String, String> sorted = new TreeMap<>(Map.of("\ud83d\ude00", h, "\uff21", h, "a", h));
    String expected =
        Sha256.hex(
            (h + "  a\n" + h + "  \uff21\n" + h + "  \ud83d\ude00\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(DirectoryHash.compute(sorted)).isEqualTo(expected);
  }

  @Test
  void compute_treeMapOfBmpPaths_equalsTheSameFilesInAnyMap() {
    Map<String, String> files = new java.util.HashMap<>();
    String[] names = {"b", "a/\u00e9", "a/z", "\uff21", "\ue000x", "Z", "a-b", "a/b/c"};
    for (int i = 0; i < names.length; i++) {
      files.put(names[i], Sha256.hex(new byte[] {(byte) i}));
    }
    assertThat(DirectoryHash.compute(new TreeMap<>(files))).isEqualTo(DirectoryHash.compute(files));
  }

  @Test
  void compute_exampleCdkOut_matchesCoreutils() throws Exception {
    assumeTrue(new ProcessBuilder("sha256sum", "--version").start().waitFor() == 0);
    Path dir = Files.createDirectories(tmp.resolve("art"));
    Files.writeString(dir.resolve("manifest.json"), "{}");
    Files.createDirectories(dir.resolve("asset.1/sub"));
    Files.writeString(dir.resolve("asset.1/sub/index.js"), "exports.x=1;\n");
    Files.writeString(dir.resolve("\uff21.txt"), "fw");
    Files.writeString(dir.resolve("\ud83d\ude00.txt"), "emoji");
    Files.writeString(dir.resolve("Upper.json"), "");
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          hashes.put(dir.relativize(p).toString(), Sha256.hex(Files.readAllBytes(p)));
        }
      }
    }
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "cd \"$0\" && find . -type f -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum"
                    + " | sha256sum | cut -d' ' -f1",
                dir.toString())
            .start();
    String coreutils = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();
    assertThat(DirectoryHash.compute(hashes)).isEqualTo(coreutils);
  }

  @Test
  void compute_rejectsUnsafePathWithIllegalArgument() {
    assertThatThrownBy(() -> DirectoryHash.compute(Map.of("../x", "0".repeat(64))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("..");
  }

  @Test
  void compute_rejectsNonHexDigestWithIllegalArgument() {
    assertThatThrownBy(() -> DirectoryHash.compute(Map.of("x", "XYZ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void compute_changesWhenAnyByteOfAnyPathOrHashChanges() {
    String h = "0".repeat(64);
    String base = DirectoryHash.compute(Map.of("a", h, "b", h));
    assertThat(DirectoryHash.compute(Map.of("a", h, "c", h))).isNotEqualTo(base);
    assertThat(DirectoryHash.compute(Map.of("a", h, "b", "1" + h.substring(1)))).isNotEqualTo(base);
    assertThat(DirectoryHash.compute(Map.of("a", h))).isNotEqualTo(base);
  }

  @Test
  void sha256_streamsInChunks_matchesOneShot() throws IOException {
    byte[] data = new byte[3 * Sha256.BUFFER_SIZE + 17];
    new java.util.Random(7).nextBytes(data);
    Sha256.Digest d = Sha256.hash(new java.io.ByteArrayInputStream(data), new byte[1000]);
    assertThat(d.hex()).isEqualTo(Sha256.hex(data));
    assertThat(d.size()).isEqualTo(data.length);
  }
}
