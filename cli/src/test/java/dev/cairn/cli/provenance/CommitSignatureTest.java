package dev.cairn.cli.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check 3 with real {@code git}, {@code gpg} and {@code ssh-keygen}: commits signed by an allowed
 * key pass; an unsigned commit, a commit signed by another key, a commit not on the required ref
 * and a signature moved onto other content are each refused with their own code.
 */
class CommitSignatureTest {

  @TempDir Path tmp;
  Tools tools;
  Path repo;

  @BeforeEach
  void repo() throws Exception {
    Tools.require("git", "gpg", "ssh-keygen");
    tools = new Tools(Files.createDirectories(tmp.resolve("home")));
    repo = Files.createDirectories(tmp.resolve("repo"));
    git("init", "-q", "-b", "main");
    git("config", "user.name", "Alice");
    git("config", "user.email", "alice@example.test");
    git("config", "commit.gpgsign", "false");
  }

  @AfterEach
  void agent() {
    if (tools != null) {
      tools.stopAgent();
    }
  }

  @Test
  void gpgSignedCommitOnMain_byAnAllowedKey_verifies() throws Exception {
    String alice = tools.gpgKey("Alice <alice@example.test>", "ed25519");
    String commit = commit("one", "-S" + alice);

    CommitSignature.Verified v = verify(commit, tools.gpgExport(alice), "main");

    assertThat(v.method()).isEqualTo("openpgp");
    assertThat(v.signer()).isEqualToIgnoringCase(alice);
    assertThat(v.principal()).isEqualTo("Alice <alice@example.test>");
  }

  @Test
  void rsaGpgSignedCommit_verifies() throws Exception {
    String alice = tools.gpgKey("Alice RSA <alice-rsa@example.test>", "rsa3072");
    String commit = commit("one", "-S" + alice);
    assertThat(verify(commit, tools.gpgExport(alice), "main").signer())
        .isEqualToIgnoringCase(alice);
  }

  @Test
  void unsignedCommit_isRefused() throws Exception {
    String alice = tools.gpgKey("Alice <alice@example.test>", "ed25519");
    String commit = commit("one");
    assertRefused(commit, tools.gpgExport(alice), "main", CommitSignature.Refusal.COMMIT_UNSIGNED);
  }

  @Test
  void commitSignedByAnotherKey_isRefused() throws Exception {
    String alice = tools.gpgKey("Alice <alice@example.test>", "ed25519");
    String mallory = tools.gpgKey("Mallory <mallory@example.test>", "ed25519");
    String commit = commit("one", "-S" + mallory);
    assertRefused(
        commit, tools.gpgExport(alice), "main", CommitSignature.Refusal.COMMIT_SIGNER_NOT_ALLOWED);
  }

  @Test
  void signedCommitNotOnMain_isRefused() throws Exception {
    String alice = tools.gpgKey("Alice <alice@example.test>", "ed25519");
    commit("one", "-S" + alice);
    git("checkout", "-q", "-b", "feature");
    String onFeature = commit("two", "-S" + alice);
    assertRefused(
        onFeature,
        tools.gpgExport(alice),
        "main",
        CommitSignature.Refusal.COMMIT_NOT_ON_REQUIRED_REF);
    assertThat(verify(onFeature, tools.gpgExport(alice), "feature").method()).isEqualTo("openpgp");
  }

  @Test
  void sshSignedCommits_ed25519EcdsaAndRsa_verifyAgainstAllowedSigners() throws Exception {
    git("config", "gpg.format", "ssh");
    StringBuilder allowed = new StringBuilder("# who may sign Cairn commits\n");
    for (String type : new String[] {"ed25519", "ecdsa", "rsa"}) {
      Path key = tmp.resolve("id_" + type);
      tools.run(tmp, "ssh-keygen", "-q", "-t", type, "-N", "", "-C", type, "-f", key.toString());
      String pub = Files.readString(Path.of(key + ".pub")).strip();
      allowed
          .append(type)
          .append("@example.test namespaces=\"git\" ")
          .append(pub, 0, pub.lastIndexOf(' '))
          .append('\n');
      git("config", "user.signingkey", key + ".pub");
      String commit = commit("by " + type, "-S");

      CommitSignature.Verified v = verify(commit, allowed.toString(), "main");

      assertThat(v.method()).isEqualTo("ssh");
      assertThat(v.principal()).isEqualTo(type + "@example.test");
      assertThat(v.signer())
          .isEqualTo(tools.run(tmp, "ssh-keygen", "-l", "-f", key + ".pub").split(" ")[1]);
    }
  }

  @Test
  void sshKeyAllowedOnlyForAnotherNamespace_isRefused() throws Exception {
    git("config", "gpg.format", "ssh");
    Path key = tmp.resolve("id_ed25519");
    tools.run(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
    git("config", "user.signingkey", key + ".pub");
    String commit = commit("one", "-S");
    String pub = Files.readString(Path.of(key + ".pub")).strip();
    assertRefused(
        commit,
        "alice@example.test namespaces=\"file\" " + pub + "\n",
        "main",
        CommitSignature.Refusal.COMMIT_SIGNER_NOT_ALLOWED);
    assertRefused(commit, "", "main", CommitSignature.Refusal.COMMIT_SIGNER_NOT_ALLOWED);
  }

  @Test
  void sshSignatureMovedOntoOtherContent_isRefusedAsInvalid() throws Exception {
    git("config", "gpg.format", "ssh");
    Path key = tmp.resolve("id_ed25519");
    tools.run(tmp, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
    git("config", "user.signingkey", key + ".pub");
    String signed = commit("the reviewed change", "-S");
    String object = git("cat-file", "commit", signed);
    Path forged = tmp.resolve("forged");
    Files.writeString(forged, object.replace("the reviewed change", "something else"));
    String forgedId = git("hash-object", "-t", "commit", "-w", forged.toString()).strip();
    git("update-ref", "refs/heads/main", forgedId);
    String pub = Files.readString(Path.of(key + ".pub")).strip();

    assertRefused(
        forgedId,
        "alice@example.test " + pub + "\n",
        "main",
        CommitSignature.Refusal.COMMIT_SIGNATURE_INVALID);
  }

  @Test
  void unknownCommit_isRefused() throws Exception {
    commit("one");
    assertRefused("0".repeat(40), "", "main", CommitSignature.Refusal.COMMIT_NOT_FOUND);
  }

  private CommitSignature.Verified verify(String commit, String allowed, String ref)
      throws Exception {
    return new CommitSignature(repo).verify(commit, allowed, ref, Instant.now());
  }

  private void assertRefused(
      String commit, String allowed, String ref, CommitSignature.Refusal code) {
    assertThatThrownBy(() -> verify(commit, allowed, ref))
        .isInstanceOfSatisfying(
            CommitSignature.RefusedException.class,
            e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
  }

  private String commit(String message, String... flags) throws Exception {
    Files.writeString(repo.resolve("file.txt"), message + "\n");
    git("add", "file.txt");
    String[] cmd = new String[4 + flags.length];
    cmd[0] = "commit";
    cmd[1] = "-q";
    cmd[2] = "-m";
    cmd[3] = message;
    System.arraycopy(flags, 0, cmd, 4, flags.length);
    git(cmd);
    return git("rev-parse", "HEAD").strip();
  }

  private String git(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return tools.run(repo, cmd);
  }
}
