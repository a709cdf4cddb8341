package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.cli.provenance.Tools;
import dev.cairn.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check 3 end to end: {@code cairn manifest create --repo --allowed-signers} verifies the commit
 * with real git and an SSH key, records how in {@code git_signature}, and {@code cairn manifest
 * verify} accepts that manifest under a trust policy that refuses asserted signatures, while it
 * refuses the same artifact described with {@code --git-signature-verified true}.
 */
class ManifestCreateProvenanceTest {

  @TempDir Path tmp;
  Tools tools;
  CliArtifact a;
  Path repo;
  Path allowed;
  String commit;

  @BeforeEach
  void repo() throws Exception {
    Tools.require("git", "ssh-keygen");
    tools = new Tools(Files.createDirectories(tmp.resolve("home")));
    a = new CliArtifact(Files.createDirectories(tmp.resolve("artifact")));
    // The policy a production installation has: asserted commit signatures are refused.
    CliArtifact.ok(
        CliRunner.run(
            "trust",
            "init",
            "--force",
            "--out",
            a.policy.toString(),
            "--signer",
            CliArtifact.IDENTITY + "=" + a.dir.resolve("ci.pub.pem"),
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main"));
    repo = Files.createDirectories(tmp.resolve("repo"));
    Path key = tmp.resolve("id_ed25519");
    tools.run(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
    allowed = repo.resolve("allowed_signers");
    String pub = Files.readString(Path.of(key + ".pub")).strip();
    Files.writeString(allowed, "alice@example.test namespaces=\"git\" " + pub + "\n");
    git("init", "-q", "-b", "main");
    git("config", "user.name", "Alice");
    git("config", "user.email", "alice@example.test");
    git("config", "gpg.format", "ssh");
    git("config", "user.signingkey", key + ".pub");
    git("add", "allowed_signers");
    git("commit", "-q", "-S", "-m", "signed");
    commit = git("rev-parse", "HEAD").strip();
  }

  @Test
  void verifiedCommit_isRecordedAndPassesAPolicyThatRefusesAssertions() throws Exception {
    CliRunner.Result created =
        create("--repo", repo.toString(), "--allowed-signers", allowed.toString());
    CliArtifact.ok(created);
    assertThat(created.err()).contains("ssh signature by SHA256:");
    var manifest = Json.parse(Files.readAllBytes(a.manifest));
    assertThat(manifest.at("/git_signature/method").asText()).isEqualTo("ssh");
    assertThat(manifest.at("/git_signature/principal").asText()).isEqualTo("alice@example.test");
    assertThat(manifest.at("/git_signature/required_ref").asText()).isEqualTo("main");
    a.sign();

    var r = a.verifyJson();
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void assertedSignature_isRefusedByThatPolicy() throws Exception {
    CliArtifact.ok(create("--git-signature-verified", "true"));
    assertThat(Json.parse(Files.readAllBytes(a.manifest)).at("/git_signature/method").asText())
        .isEqualTo("asserted");
    a.sign();

    var r = a.verifyJson();
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.json().toString()).contains("COMMIT_SIGNATURE_ASSERTED");
  }

  @Test
  void unsignedCommit_exitsOneWithItsCode_andWritesNoManifest() throws Exception {
    Files.delete(a.manifest);
    Files.writeString(repo.resolve("x"), "x");
    git("add", "x");
    git("commit", "-q", "--no-gpg-sign", "-m", "unsigned");
    commit = git("rev-parse", "HEAD").strip();

    CliRunner.Result r = create("--repo", repo.toString(), "--allowed-signers", allowed.toString());

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.err()).contains("refused COMMIT_UNSIGNED");
    assertThat(a.manifest).doesNotExist();
  }

  @Test
  void repoWithoutAllowedSigners_isAUsageError() {
    assertThat(create("--repo", repo.toString()).exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(create().exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  private CliRunner.Result create(String... provenance) {
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
                "--context",
                a.context.toString(),
                "--cdk-cli-version",
                "2.1148.1",
                "--out",
                a.manifest.toString()));
    args.addAll(List.of(provenance));
    return CliRunner.run(args.toArray(String[]::new));
  }

  private String git(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return tools.run(repo, cmd);
  }
}
