package dev.cairn.cli.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyGenerateCommandTest {

  @TempDir Path tmp;

  @Test
  void generate_ecdsaP256_writesPkcs8AndSpkiPem() throws Exception {
    Path priv = tmp.resolve("k.pem");
    Path pub = tmp.resolve("k.pub.pem");
    var r =
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "ecdsa-p256",
            "--private-key-out",
            priv.toString(),
            "--public-key-out",
            pub.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
    var key = PemKeys.readPublicKey(Files.readString(pub));
    assertThat(key).isInstanceOf(ECPublicKey.class);
    assertThat(PemKeys.algorithmOf(key)).isEqualTo(SignatureAlgorithm.ECDSA_SHA_256);
    assertThat(r.out()).contains("sha256:" + PemKeys.fingerprint(key));
    assertThat(Files.getPosixFilePermissions(priv))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void generate_rsa3072_writesRsaKey() throws Exception {
    Path priv = tmp.resolve("r.pem");
    Path pub = tmp.resolve("r.pub.pem");
    var r =
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "rsa-3072",
            "--private-key-out",
            priv.toString(),
            "--public-key-out",
            pub.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    var key = (RSAPublicKey) PemKeys.readPublicKey(Files.readString(pub));
    assertThat(key.getModulus().bitLength()).isEqualTo(3072);
  }

  @Test
  void generate_whenFileExistsWithoutForce_exitsTwoAndKeepsFile() throws Exception {
    Path priv = Files.writeString(tmp.resolve("k.pem"), "keep me");
    var r =
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "ecdsa-p256",
            "--private-key-out",
            priv.toString(),
            "--public-key-out",
            tmp.resolve("p").toString());
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("--force");
    assertThat(Files.readString(priv)).isEqualTo("keep me");
  }

  @Test
  void generate_whenUnknownAlgorithm_exitsTwo() {
    var r =
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "dsa-1024",
            "--private-key-out",
            tmp.resolve("a").toString(),
            "--public-key-out",
            tmp.resolve("b").toString());
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }
}
