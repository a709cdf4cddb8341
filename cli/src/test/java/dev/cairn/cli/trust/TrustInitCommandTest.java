package dev.cairn.cli.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.trust.TrustPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustInitCommandTest {

  @TempDir Path tmp;

  private Path generate(String name, String algorithm) {
    Path pub = tmp.resolve(name + ".pub.pem");
    var r =
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            algorithm,
            "--private-key-out",
            tmp.resolve(name + ".pem").toString(),
            "--public-key-out",
            pub.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    return pub;
  }

  private static boolean openssl(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try {
      return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void init_ecRsaAndPgpSigners_writesPolicyThatValidatesAgainstSchema() throws Exception {
    Path ec = generate("ec", "ecdsa-p256");
    Path rsa = generate("rsa", "rsa-3072");
    var pgp = PgpKeys.generate("ci <ci@example.test>", new char[0]);
    Path pgpPub = Files.writeString(tmp.resolve("pgp.asc"), pgp.armoredPublicKey());
    Path out = tmp.resolve("trust-policy.json");
    var r =
        CliRunner.run(
            "trust",
            "init",
            "--out",
            out.toString(),
            "--signer",
            "kms:alias/cdk-ci-artifact-signer=" + ec,
            "--signer",
            "kms:alias/rsa=" + rsa,
            "--signer",
            "pgp:" + pgp.fingerprint() + "=" + pgpPub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--allowed-cdk-cli-version",
            "2.1149.0",
            "--required-source-ref",
            "refs/heads/main");
    assertThat(r.exit()).as(r.toString()).isZero();
    var json = Json.parse(Files.readAllBytes(out));
    assertThat(CliRunner.violations("trust-policy.v1.json", json)).isEmpty();
    TrustPolicy policy = TrustPolicy.parse(Files.readAllBytes(out));
    assertThat(policy.signers())
        .extracting(s -> s.algorithm().name())
        .containsExactly("ECDSA_SHA_256", "RSASSA_PSS_SHA_256", "OPENPGP");
    assertThat(policy.allowedCdkCliVersions()).containsExactly("2.1148.1", "2.1149.0");
  }

  @Test
  void init_opensslKeys_areAccepted() throws Exception {
    assumeTrue(openssl("version"));
    Path sec1 = tmp.resolve("sec1.pem");
    Path rsa = tmp.resolve("rsa.pem");
    assertThat(
            openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", sec1.toString()))
        .isTrue();
    assertThat(openssl("genrsa", "-out", rsa.toString(), "3072")).isTrue();
    Path sec1Pub = tmp.resolve("sec1.pub");
    Path rsaPub = tmp.resolve("rsa.pub");
    assertThat(openssl("ec", "-in", sec1.toString(), "-pubout", "-out", sec1Pub.toString()))
        .isTrue();
    assertThat(openssl("rsa", "-in", rsa.toString(), "-pubout", "-out", rsaPub.toString()))
        .isTrue();
    Path out = tmp.resolve("p.json");
    var r =
        CliRunner.run(
            "trust",
            "init",
            "--out",
            out.toString(),
            "--signer",
            "key:ec=" + sec1Pub,
            "--signer",
            "key:rsa=" + rsaPub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(TrustPolicy.parse(Files.readAllBytes(out)).signers()).hasSize(2);
  }

  @Test
  void init_whenKeyPathContainsEquals_readsTheWholePath() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("k=v"));
    Path pub = dir.resolve("ci.pub.pem");
    var g =
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "ecdsa-p256",
            "--private-key-out",
            dir.resolve("ci.pem").toString(),
            "--public-key-out",
            pub.toString());
    assertThat(g.exit()).isZero();
    Path out = tmp.resolve("p.json");
    var r =
        CliRunner.run(
            "trust",
            "init",
            "--out",
            out.toString(),
            "--signer",
            "kms:alias/ci=" + pub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(TrustPolicy.parse(Files.readAllBytes(out)).signer("kms:alias/ci")).isPresent();
  }

  @Test
  void init_whenKeyIsNotAKey_exitsTwoAndWritesNothing() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.pem"), "hello");
    Path out = tmp.resolve("p.json");
    var r =
        CliRunner.run(
            "trust",
            "init",
            "--out",
            out.toString(),
            "--signer",
            "key:x=" + junk,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main");
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(out).doesNotExist();
  }

  @Test
  void init_whenRsaKeyTooSmall_exitsTwo() throws Exception {
    assumeTrue(openssl("version"));
    Path rsa = tmp.resolve("small.pem");
    assertThat(openssl("genrsa", "-out", rsa.toString(), "1024")).isTrue();
    Path pub = tmp.resolve("small.pub");
    assertThat(openssl("rsa", "-in", rsa.toString(), "-pubout", "-out", pub.toString())).isTrue();
    var r =
        CliRunner.run(
            "trust",
            "init",
            "--out",
            tmp.resolve("p.json").toString(),
            "--signer",
            "key:x=" + pub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main");
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  @Test
  void init_whenSignerHasNoKeyFile_exitsTwo() {
    var r =
        CliRunner.run(
            "trust",
            "init",
            "--out",
            tmp.resolve("p.json").toString(),
            "--signer",
            "key:x",
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main");
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("IDENTITY=PUBLIC_KEY_FILE");
  }
}
