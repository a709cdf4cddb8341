package dev.cairn.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "manifest.json",
        "asset.abc/index.js",
        "a/b/c/d.txt",
        "...",
        "..a",
        "a..",
        ".hidden",
        "donn\u00e9es.json",
        "\ud83d\ude00.txt",
        "x/a:b",
        "C",
        "1:/x"
      })
  void violation_whenSafe_isEmpty(String path) {
    assertThat(ArtifactPath.violation(path)).isEmpty();
  }

  @Test
  void violation_whenEmpty() {
    assertThat(ArtifactPath.violation("")).contains("is empty");
    assertThat(ArtifactPath.violation(null)).contains("is empty");
  }

  @Test
  void violation_whenDotDot() {
    assertThat(ArtifactPath.violation("a/../b")).contains("contains a '..' segment");
    assertThat(ArtifactPath.violation("..")).contains("contains a '..' segment");
  }

  @Test
  void violation_whenDot() {
    assertThat(ArtifactPath.violation("./a")).contains("contains a '.' segment");
  }

  @Test
  void violation_whenAbsolute() {
    assertThat(ArtifactPath.violation("/etc/passwd")).contains("is absolute");
  }

  @Test
  void violation_whenBackslash() {
    assertThat(ArtifactPath.violation("a\\b")).contains("contains a backslash");
  }

  @Test
  void violation_whenNul() {
    assertThat(ArtifactPath.violation("a\u0000b")).contains("contains a NUL character");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "a\tb", "a\u007fb", "a\u001bb"})
  void violation_whenControlCharacter(String path) {
    assertThat(ArtifactPath.violation(path)).contains("contains a control character");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a//b", "a/", "a/b/"})
  void violation_whenEmptySegment(String path) {
    assertThat(ArtifactPath.violation(path)).contains("has an empty segment");
  }

  @Test
  void violation_whenNotNfc() {
    assertThat(ArtifactPath.violation("cafe\u0301")).contains("is not NFC-normalised");
  }

  @ParameterizedTest
  @ValueSource(strings = {"C:/x", "c:x", "Z:"})
  void violation_whenDriveLetter(String path) {
    assertThat(ArtifactPath.violation(path)).contains("has a drive letter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\ud800", "\udc00a", "a\udc00\ud800b"})
  void violation_whenUnpairedSurrogate(String path) {
    assertThat(ArtifactPath.violation(path)).contains("contains an unpaired surrogate");
  }

  @Test
  void violation_whenTooLong() {
    assertThat(ArtifactPath.violation("a".repeat(ArtifactPath.MAX_LENGTH + 1))).isPresent();
    assertThat(ArtifactPath.violation("a".repeat(ArtifactPath.MAX_LENGTH))).isEmpty();
  }

  @Test
  void caseFoldKey_collidesForCaseVariants() {
    assertThat(ArtifactPath.caseFoldKey("Manifest.JSON"))
        .isEqualTo(ArtifactPath.caseFoldKey("manifest.json"));
    assertThat(ArtifactPath.caseFoldKey("STRASSE")).isEqualTo(ArtifactPath.caseFoldKey("strasse"));
    assertThat(ArtifactPath.caseFoldKey("a")).isNotEqualTo(ArtifactPath.caseFoldKey("b"));
  }

  // --- a path relative to a directory of the artifact (asset sources of a CDK stage)

  @Test
  void resolve_stageAssetInRootFolder_climbsOneLevel() {
    assertThat(ArtifactPath.violation("assembly-Prod/", "../asset.abc")).isEmpty();
    assertThat(ArtifactPath.resolve("assembly-Prod/", "../asset.abc")).isEqualTo("asset.abc");
    assertThat(ArtifactPath.resolve("assembly-Prod", "../asset.abc/index.js"))
        .isEqualTo("asset.abc/index.js");
  }

  @Test
  void resolve_nestedStageAssetInRootFolder_climbsTwoLevels() {
    assertThat(ArtifactPath.resolve("assembly-A/assembly-A-B/", "../../asset.abc"))
        .isEqualTo("asset.abc");
    assertThat(ArtifactPath.resolve("assembly-A/assembly-A-B/", "../asset.abc"))
        .isEqualTo("assembly-A/asset.abc");
  }

  @Test
  void resolve_withoutParents_staysInDirectory() {
    assertThat(ArtifactPath.resolve("", "asset.abc")).isEqualTo("asset.abc");
    assertThat(ArtifactPath.resolve("assembly-Prod/", "Prod-Api.template.json"))
        .isEqualTo("assembly-Prod/Prod-Api.template.json");
  }

  @Test
  void violation_relativeBeyondRoot_leavesTheArtifactRoot() {
    assertThat(ArtifactPath.violation("", "../asset.abc")).contains("leaves the artifact root");
    assertThat(ArtifactPath.violation("assembly-Prod/", "../../escape"))
        .contains("leaves the artifact root");
    assertThat(ArtifactPath.violation("assembly-A/assembly-A-B/", "../../../escape"))
        .contains("leaves the artifact root");
  }

  @Test
  void violation_relativeParentAfterAName_isRefused() {
    // Resolution is by name; a later '..' could climb out of a symlinked folder.
    assertThat(ArtifactPath.violation("assembly-Prod/", "x/../../asset.abc"))
        .contains("contains a '..' segment");
    assertThat(ArtifactPath.violation("assembly-Prod/", "../x/../asset.abc"))
        .contains("contains a '..' segment");
    assertThat(ArtifactPath.violation("assembly-Prod/", "..")).contains("contains a '..' segment");
    assertThat(ArtifactPath.violation("assembly-Prod/", "../")).contains("is empty");
  }

  @Test
  void violation_relativeUnsafeRest_isRefused() {
    assertThat(ArtifactPath.violation("assembly-Prod/", "/etc/passwd")).contains("is absolute");
    assertThat(ArtifactPath.violation("assembly-Prod/", "..//etc/passwd")).contains("is absolute");
    assertThat(ArtifactPath.violation("assembly-Prod/", "..\\asset.abc"))
        .contains("contains a backslash");
    assertThat(ArtifactPath.violation("assembly-Prod/", "../asset\u0000.abc"))
        .contains("contains a NUL character");
    assertThat(ArtifactPath.violation("assembly-Prod/", "./asset.abc"))
        .contains("contains a '.' segment");
    assertThat(ArtifactPath.violation("assembly-Prod/", "C:/asset.abc"))
        .contains("has a drive letter");
    assertThat(ArtifactPath.violation("assembly-Prod/", "")).contains("is empty");
  }
}
