package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code manifest create} refuses, with exit 2 and the option named, what the verifier would refuse
 * later: the values are checked against the manifest schema before any file is hashed.
 */
class ManifestCreateValidationTest {

  static final Path EXAMPLE = Path.of("../examples/hello-service/cdk.out");

  @TempDir Path tmp;

  private Map<String, String> validArgs() throws Exception {
    Path context = tmp.resolve("context.json");
    Files.writeString(context, "{}\n");
    Map<String, String> args = new LinkedHashMap<>();
    args.put("--service", "hello-service");
    args.put("--cdk-out", EXAMPLE.toString());
    args.put("--commit", CliArtifact.COMMIT);
    args.put("--source-ref", "refs/heads/main");
    args.put("--git-signature-verified", "true");
    args.put("--context", context.toString());
    args.put("--cdk-cli-version", "2.1148.1");
    args.put("--cdk-library-version", "aws-cdk-lib=2.263.0");
    args.put("--build-time", "2026-01-31T12:00:00Z");
    args.put("--build-duration-seconds", "42");
    args.put("--out", tmp.resolve("artifact-manifest.json").toString());
    return args;
  }

  private static CliRunner.Result create(Map<String, String> args) {
    List<String> argv = new ArrayList<>(List.of("manifest", "create"));
    // --option=value, so a value starting with '-' is a value, not an option.
    args.forEach((k, v) -> argv.add(k + "=" + v));
    return CliRunner.run(argv.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--commit                 | abc                                        | 40 or 64 lowercase hex",
        "--commit                 | 0123456789ABCDEF0123456789ABCDEF01234567   | 40 or 64 lowercase hex",
        "--commit                 | 0123456789abcdef0123456789abcdef0123456    | 40 or 64 lowercase hex",
        "--commit                 | 0123456789abcdef0123456789abcdef012345678  | 40 or 64 lowercase hex",
        "--service                | _hello                                     | starting with a letter",
        "--service                | hello service                              | starting with a letter",
        "--source-ref             | main                                       | refs/heads/<branch>",
        "--cdk-cli-version        | latest                                     | a version such as",
        "--cdk-cli-version        | 2.1148                                     | a version such as",
        "--cdk-library-version    | aws-cdk-lib=^2.0.0                         | a version such as",
        "--build-time             | yesterday                                  | ISO 8601 UTC",
        "--build-time             | 2026-01-31T12:00:00+01:00                  | ISO 8601 UTC",
        "--build-duration-seconds | -1                                         | 0 or more",
      })
  void create_whenValueBreaksTheSchema_exitsTwoNamingTheOption(
      String option, String value, String expected) throws Exception {
    Map<String, String> args = validArgs();
    args.put(option, value);

    CliRunner.Result r = create(args);

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains(option).contains(expected);
    if (!option.equals("--build-duration-seconds")) {
      // The code the verifier would give the same value in a manifest.
      assertThat(r.err()).contains("MANIFEST_FIELD_FORMAT");
    }
    assertThat(tmp.resolve("artifact-manifest.json")).doesNotExist();
  }

  @Test
  void create_whenCommitIsA64HexSha256Commit_writesTheManifest() throws Exception {
    Map<String, String> args = validArgs();
    args.put("--commit", "0123456789abcdef".repeat(4));

    CliRunner.Result r = create(args);

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(Files.readString(tmp.resolve("artifact-manifest.json")))
        .contains("0123456789abcdef".repeat(4));
  }
}
