package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn manifest create}'s signed {@code commit_time}: from the repository or the flag. */
class ManifestCommitTimeTest {

  @TempDir Path tmp;

  private CliRunner.Result create(CliArtifact a, String commit, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "manifest",
                "create",
                "--service",
                "hello-service",
                "--cdk-out",
                a.cdkOut.toString(),
                "--commit",
                commit,
                "--source-ref",
                "refs/heads/main",
                "--git-signature-verified",
                "true",
                "--context",
                a.context.toString(),
                "--cdk-cli-version",
                "2.1148.1",
                "--build-time",
                "2026-01-31T12:00:00Z",
                "--out",
                tmp.resolve("m-" + extra.length + ".json").toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void create_withCommitTime_writesItInUtcAndTheSchemaAcceptsIt() throws Exception {
    CliArtifact a = new CliArtifact(tmp.resolve("a"));

    var r = create(a, CliArtifact.COMMIT, "--commit-time", "2026-01-31T10:15:00+01:00");

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    var m = Json.parse(Files.readAllBytes(tmp.resolve("m-2.json")));
    assertThat(m.get("commit_time").textValue()).isEqualTo("2026-01-31T09:15:00Z");
    // Unsigned so far: `cairn manifest sign` adds these two; the rest must already be valid.
    ((com.fasterxml.jackson.databind.node.ObjectNode) m)
        .put("signing_identity", "kms:alias/cdk-ci-artifact-signer")
        .put("signature", "c2lnbmF0dXJl");
    assertThat(CliRunner.violations("artifact-manifest.v1.json", m)).isEmpty();
  }

  @Test
  void create_withRepo_readsTheCommittersTimeFromGit() throws Exception {
    CliArtifact a = new CliArtifact(tmp.resolve("a"));
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("README"), "x");
    git(repo, "add", "README");
    git(
        repo,
        "-c",
        "user.name=ci",
        "-c",
        "user.email=ci@example.com",
        "commit",
        "-q",
        "-m",
        "first");
    String sha = git(repo, "rev-parse", "HEAD").trim();

    var r = create(a, sha, "--repo", repo.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    var m = Json.parse(Files.readAllBytes(tmp.resolve("m-2.json")));
    assertThat(m.get("commit_time").textValue()).isEqualTo("2026-01-30T22:00:00Z");
  }

  @Test
  void create_withoutEither_writesNoCommitTime() throws Exception {
    CliArtifact a = new CliArtifact(tmp.resolve("a"));

    var r = create(a, CliArtifact.COMMIT);

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(Json.parse(Files.readAllBytes(tmp.resolve("m-0.json"))).has("commit_time"))
        .isFalse();
  }

  @Test
  void create_withACommitTimeThatIsNotRfc3339_isAUsageError() {
    CliArtifact a = new CliArtifact(tmp.resolve("a"));

    var r = create(a, CliArtifact.COMMIT, "--commit-time", "yesterday");

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("RFC 3339");
  }

  @Test
  void create_withRepoThatDoesNotHoldTheCommit_isAUsageError() throws Exception {
    CliArtifact a = new CliArtifact(tmp.resolve("a"));
    Path repo = tmp.resolve("empty");
    Files.createDirectories(repo);
    git(repo, "init", "-q");

    var r = create(a, CliArtifact.COMMIT, "--repo", repo.toString());

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("cannot read the time of " + CliArtifact.COMMIT);
  }

  /** Runs git with a fixed committer date, so the expected commit_time is known. */
  private static String git(Path repo, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GIT_COMMITTER_DATE", "2026-01-31T09:00:00+11:00");
    pb.environment().put("GIT_AUTHOR_DATE", "2026-01-31T09:00:00+11:00");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
    return out;
  }
}
