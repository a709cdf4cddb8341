package dev.cairn.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.manifest.ManifestParser.Result;

/**
 * {@code ManifestParser.parse(byte[])} never throws on any input: it returns {@link Result.Parsed}
 * or {@link Result.Invalid}. A parsed manifest can always be canonicalized (the signature gate's
 * next step) and its file_hashes always form a directory hash (the digest gate's).
 *
 * <p>Regression mode under {@code mvn test} replays {@code ManifestParserFuzzTestInputs/parse/};
 * fuzz with {@code JAZZER_FUZZ=1 ./mvnw -o test -pl lambdas/core -Dtest=ManifestParserFuzzTest}.
 */
class ManifestParserFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void parse(byte[] data) {
    Result r = ManifestParser.parse(data);
    assertThat(r).isNotNull();
    if (r instanceof Result.Parsed parsed) {
      assertThat(CanonicalJson.canonicalizeWithout(parsed.json(), "signature")).isNotEmpty();
      assertThat(DirectoryHash.compute(parsed.manifest().fileHashes())).hasSize(64);
      assertThat(parsed.manifest().fileHashes()).isNotEmpty();
    } else {
      Result.Invalid invalid = (Result.Invalid) r;
      assertThat(invalid.failure().code().gate())
          .isEqualTo(dev.cairn.core.failure.Gate.MANIFEST_STRUCTURE);
    }
  }
}
