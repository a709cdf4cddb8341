package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.cli.provenance.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Signing with the tool the user already has: {@code cairn manifest canonical} writes the bytes,
 * real {@code gpg --detach-sign} signs them with a key that never leaves GnuPG, {@code cairn
 * manifest attach-signature} stores the signature, and {@code cairn manifest verify} checks it
 * against the pinned public key. A signature over any other bytes is refused.
 */
class ExternalSigningTest {

  @TempDir Path tmp;
  Tools gpg;
  CliArtifact a;

  @BeforeEach
  void setUp() throws Exception {
    Tools.require("gpg");
    gpg = new Tools(Files.createDirectories(tmp.resolve("home")));
    a = new CliArtifact(Files.createDirectories(tmp.resolve("artifact")));
  }

  @AfterEach
  void agent() {
    if (gpg != null) {
      gpg.stopAgent();
    }
  }

  @ParameterizedTest(name = "{0} key, armored={1}")
  @CsvSource({"ed25519,false", "ed25519,true", "rsa3072,false", "rsa3072,true"})
  void gpgDetachedSignature_overTheCanonicalBytes_verifies(String algo, boolean armor)
      throws Exception {
    String identity = trustGpgKey(algo);
    Path canonical = tmp.resolve("manifest.canonical");
    CliArtifact.ok(
        CliRunner.run(
            "manifest",
            "canonical",
            "--manifest",
            a.manifest.toString(),
            "--signing-identity",
            identity,
            "--out",
            canonical.toString()));
    Path sig = detachSign(canonical, identity, armor);

    CliArtifact.ok(attach(identity, sig, armor));

    var r = a.verifyJson();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.json().get("signer").get("algorithm").textValue()).isEqualTo("OPENPGP");
    assertThat(r.json().get("signer").get("identity").textValue()).isEqualTo(identity);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ed25519", "rsa3072"})
  void gpgSignatureOverOtherBytes_isRefused(String algo) throws Exception {
    String identity = trustGpgKey(algo);
    // The manifest file as it sits on disk is not what the signature must cover.
    Path sig = detachSign(a.manifest, identity, false);

    CliArtifact.ok(attach(identity, sig, false));

    var r = a.verifyJson();
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.json().toString()).contains("SIGNATURE_INVALID");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ed25519"})
  void canonicalBytes_forAnotherIdentity_doNotVerify(String algo) throws Exception {
    String identity = trustGpgKey(algo);
    Path canonical = tmp.resolve("other.canonical");
    CliArtifact.ok(
        CliRunner.run(
            "manifest",
            "canonical",
            "--manifest",
            a.manifest.toString(),
            "--signing-identity",
            "pgp:SOMEONE-ELSE",
            "--out",
            canonical.toString()));
    Path sig = detachSign(canonical, identity, false);

    CliArtifact.ok(attach(identity, sig, false));

    assertThat(a.verifyJson().exit()).isEqualTo(CairnCli.EXIT_FAILED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ed25519"})
  void armoredSignatureWithoutArmorFlag_isAUsageError(String algo) throws Exception {
    String identity = trustGpgKey(algo);
    Path sig = detachSign(a.manifest, identity, true);
    assertThat(attach(identity, sig, false).exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  private CliRunner.Result attach(String identity, Path sig, boolean armor) {
    return armor
        ? CliRunner.run(
            "manifest",
            "attach-signature",
            "--manifest",
            a.manifest.toString(),
            "--signing-identity",
            identity,
            "--signature-file",
            sig.toString(),
            "--armor")
        : CliRunner.run(
            "manifest",
            "attach-signature",
            "--manifest",
            a.manifest.toString(),
            "--signing-identity",
            identity,
            "--signature-file",
            sig.toString());
  }

  /** A new gpg key, pinned in the artifact's trust policy; returns its identity. */
  private String trustGpgKey(String algo) throws Exception {
    String fpr = gpg.gpgKey("CI " + algo + " <ci-" + algo + "@example.test>", algo);
    Path pub = tmp.resolve(algo + ".asc");
    Files.writeString(pub, gpg.gpgExport(fpr));
    String identity = "pgp:" + fpr;
    CliArtifact.ok(
        CliRunner.run(
            "trust",
            "init",
            "--force",
            "--out",
            a.policy.toString(),
            "--signer",
            identity + "=" + pub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main",
            "--allow-asserted-git-signature"));
    return identity;
  }

  private Path detachSign(Path file, String identity, boolean armor) throws Exception {
    Path sig = tmp.resolve(file.getFileName() + (armor ? ".asc" : ".sig"));
    Files.deleteIfExists(sig);
    String fpr = identity.substring("pgp:".length());
    if (armor) {
      gpg.run(
          gpg.home(),
          "gpg",
          "--batch",
          "--pinentry-mode",
          "loopback",
          "--passphrase",
          "",
          "--local-user",
          fpr,
          "--armor",
          "--detach-sign",
          "--output",
          sig.toString(),
          file.toString());
    } else {
      gpg.run(
          gpg.home(),
          "gpg",
          "--batch",
          "--pinentry-mode",
          "loopback",
          "--passphrase",
          "",
          "--local-user",
          fpr,
          "--detach-sign",
          "--output",
          sig.toString(),
          file.toString());
    }
    return sig;
  }
}
