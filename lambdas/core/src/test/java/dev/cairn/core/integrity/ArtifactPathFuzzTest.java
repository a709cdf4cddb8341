package dev.cairn.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Path rules and the directory hash never throw, except the documented {@link
 * IllegalArgumentException} of {@link DirectoryHash#compute} for a path that breaks the rules. A
 * valid path can never smuggle a line break into the hash input, escape the root, or be ambiguous.
 */
class ArtifactPathFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void pathsAndDirectoryHash(FuzzedDataProvider data) {
    Map<String, String> valid = new HashMap<>();
    Map<String, String> all = new HashMap<>();
    int n = data.consumeInt(0, 8);
    for (int i = 0; i < n; i++) {
      String path = data.consumeString(64);
      var why = ArtifactPath.violation(path);
      String hash = Sha256.hex(path.getBytes(StandardCharsets.UTF_8));
      all.put(path, hash);
      if (why.isEmpty()) {
        assertThat(path).doesNotContain("\n", "\r", "\u0000", "\\").doesNotStartWith("/");
        assertThat(("/" + path + "/")).doesNotContain("/../", "/./", "//");
        assertThat(ArtifactPath.caseFoldKey(path)).isNotNull();
        valid.put(path, hash);
      }
    }
    String extra = data.consumeRemainingAsString();
    ArtifactPath.violation(extra);
    ArtifactLayout.isReserved(extra);
    assertThat(DirectoryHash.compute(valid)).hasSize(64);
    if (all.size() != valid.size()) {
      assertThatThrownBy(() -> DirectoryHash.compute(all))
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(DirectoryHash.compute(all)).isEqualTo(DirectoryHash.compute(valid));
    }
  }
}
