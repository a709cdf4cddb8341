package dev.cairn.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PgpKeys#signingKey} through {@link PgpSignatures#verify}: a key signs only if it is the
 * primary with the sign flag, or a subkey the primary bound with the sign flag and a
 * back-signature; neither revoked nor expired. One key per defect, made here with BouncyCastle.
 */
class PgpSigningKeyTest {

  static final byte[] MESSAGE = "artifact manifest".getBytes(StandardCharsets.UTF_8);
  static final long DAY = 86_400_000L;
  static final Date CREATED = new Date(System.currentTimeMillis() / 1000 * 1000 - 10 * DAY);
  static final Instant NOW = Instant.now();

  static final PGPKeyPair PRIMARY = rsa(CREATED);
  static final PGPKeyPair SUB = rsa(CREATED);

  static PGPKeyPair rsa(Date created) {
    try {
      RSAKeyPairGenerator g = new RSAKeyPairGenerator();
      g.init(
          new RSAKeyGenerationParameters(
              BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 80));
      return new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, g.generateKeyPair(), created);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static PGPSignatureSubpacketVector flags(int flags, long expiresAfterSeconds) {
    PGPSignatureSubpacketGenerator g = new PGPSignatureSubpacketGenerator();
    g.setKeyFlags(true, flags);
    if (expiresAfterSeconds > 0) {
      g.setKeyExpirationTime(true, expiresAfterSeconds);
    }
    return g.generate();
  }

  static BcPGPContentSignerBuilder signer(PGPKeyPair k) {
    return new BcPGPContentSignerBuilder(k.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256);
  }

  static PGPKeyRingGenerator ring(int primaryFlags, long primaryExpiry) throws Exception {
    return new PGPKeyRingGenerator(
        PGPSignature.POSITIVE_CERTIFICATION,
        PRIMARY,
        "Cairn test <t@example.test>",
        new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
        flags(primaryFlags, primaryExpiry),
        null,
        signer(PRIMARY),
        null);
  }

  /** A binary-document signature by {@code key} claiming creation time {@code at}. */
  static byte[] sign(PGPPrivateKey key, Date at) throws Exception {
    PGPSignatureGenerator gen =
        new PGPSignatureGenerator(
            new BcPGPContentSignerBuilder(
                key.getPublicKeyPacket().getAlgorithm(), HashAlgorithmTags.SHA256));
    gen.init(PGPSignature.BINARY_DOCUMENT, key);
    PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
    hashed.setSignatureCreationTime(true, at);
    hashed.setIssuerKeyID(false, key.getKeyID());
    gen.setHashedSubpackets(hashed.generate());
    gen.update(MESSAGE);
    return gen.generate().getEncoded();
  }

  static byte[] signNow(PGPPrivateKey key) throws Exception {
    return sign(key, Date.from(NOW.minusSeconds(60)));
  }

  static boolean verifies(PGPPublicKeyRing ring, byte[] sig) {
    return PgpSignatures.verify(ring, MESSAGE, sig, NOW);
  }

  // The positive controls: each defect test differs from one of these in one thing.

  @Test
  void verify_whenPrimaryHasSignFlag_accepts() throws Exception {
    PGPPublicKeyRing ring =
        ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0).generatePublicKeyRing();
    assertThat(verifies(ring, signNow(PRIMARY.getPrivateKey()))).isTrue();
  }

  @Test
  void verify_whenSubkeyBoundWithSignFlagAndBackSignature_accepts() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER, 0);
    gen.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 0), null, signer(SUB));
    assertThat(verifies(gen.generatePublicKeyRing(), signNow(SUB.getPrivateKey()))).isTrue();
  }

  @Test
  void generatedKey_hasTheSignFlagAndVerifies() {
    PgpKeys.GeneratedKey k = PgpKeys.generate("gen <g@example.test>", new char[0]);
    PGPPublicKeyRing ring = PgpKeys.readPublicKeyRing(k.armoredPublicKey());
    byte[] sig =
        PgpSignatures.sign(
            PgpKeys.readSigningKey(k.armoredSecretKey(), new char[0], java.time.Instant.now()),
            MESSAGE);
    assertThat(PgpSignatures.verify(ring, MESSAGE, sig, Instant.now().plusSeconds(5))).isTrue();
  }

  @Test
  void readSigningKey_whenPrimaryIsCertifyOnly_signsWithTheBoundSubkey() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER, 0);
    gen.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 0), null, signer(SUB));
    String secret = PgpKeys.armor(gen.generateSecretKeyRing().getEncoded());
    PGPPrivateKey key = PgpKeys.readSigningKey(secret, new char[0], NOW);
    assertThat(key.getKeyID()).isEqualTo(SUB.getKeyID());
    assertThat(verifies(gen.generatePublicKeyRing(), signNow(key))).isTrue();
  }

  // The defects.

  @Test
  void verify_whenPrimaryLacksSignFlag_fails() throws Exception {
    PGPPublicKeyRing ring = ring(KeyFlags.CERTIFY_OTHER, 0).generatePublicKeyRing();
    assertThat(verifies(ring, signNow(PRIMARY.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenPrimaryRevoked_fails() throws Exception {
    PGPPublicKeyRing ring =
        ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0).generatePublicKeyRing();
    PGPSignatureGenerator rev = new PGPSignatureGenerator(signer(PRIMARY));
    rev.init(PGPSignature.KEY_REVOCATION, PRIMARY.getPrivateKey());
    PGPPublicKey revoked =
        PGPPublicKey.addCertification(
            ring.getPublicKey(), rev.generateCertification(ring.getPublicKey()));
    ring = PGPPublicKeyRing.insertPublicKey(ring, revoked);
    assertThat(verifies(ring, signNow(PRIMARY.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSigningSubkeyRevoked_fails() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER, 0);
    gen.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 0), null, signer(SUB));
    PGPPublicKeyRing ring = gen.generatePublicKeyRing();
    PGPPublicKey sub = ring.getPublicKey(SUB.getKeyID());
    PGPSignatureGenerator rev = new PGPSignatureGenerator(signer(PRIMARY));
    rev.init(PGPSignature.SUBKEY_REVOCATION, PRIMARY.getPrivateKey());
    PGPPublicKey revoked =
        PGPPublicKey.addCertification(sub, rev.generateCertification(ring.getPublicKey(), sub));
    ring = PGPPublicKeyRing.insertPublicKey(ring, revoked);
    assertThat(verifies(ring, signNow(SUB.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSubkeyIsEncryptionOnly_fails() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0);
    gen.addSubKey(SUB, flags(KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE, 0), null);
    // RSA can sign, so the key material would verify: only the flags say it must not.
    assertThat(verifies(gen.generatePublicKeyRing(), signNow(SUB.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSubkeyHasNoBinding_fails() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0);
    gen.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 0), null, signer(SUB));
    PGPPublicKeyRing ring = gen.generatePublicKeyRing();
    PGPPublicKey sub = ring.getPublicKey(SUB.getKeyID());
    List<PGPSignature> bindings = new ArrayList<>();
    sub.getSignatures().forEachRemaining(bindings::add);
    for (PGPSignature b : bindings) {
      sub = PGPPublicKey.removeCertification(sub, b);
    }
    ring = PGPPublicKeyRing.insertPublicKey(ring, sub);
    assertThat(ring.getPublicKey(SUB.getKeyID()).getSignatures().hasNext()).isFalse();
    assertThat(verifies(ring, signNow(SUB.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSubkeyBoundByAnotherKey_fails() throws Exception {
    // An attacker's subkey, "bound" by the attacker's own key, spliced into the pinned ring.
    PGPKeyPair other = rsa(CREATED);
    PGPKeyRingGenerator foreign =
        new PGPKeyRingGenerator(
            PGPSignature.POSITIVE_CERTIFICATION,
            other,
            "mallory <m@example.test>",
            new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1),
            flags(KeyFlags.CERTIFY_OTHER, 0),
            null,
            signer(other),
            null);
    foreign.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 0), null, signer(SUB));
    PGPPublicKey spliced = foreign.generatePublicKeyRing().getPublicKey(SUB.getKeyID());
    PGPPublicKeyRing ring =
        ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0).generatePublicKeyRing();
    ring = PGPPublicKeyRing.insertPublicKey(ring, spliced);
    assertThat(verifies(ring, signNow(SUB.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSigningSubkeyLacksBackSignature_fails() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER, 0);
    gen.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 0), null); // no primary-key binding signature
    assertThat(verifies(gen.generatePublicKeyRing(), signNow(SUB.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenPrimaryExpiredBeforeSigning_fails() throws Exception {
    PGPPublicKeyRing ring =
        ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 86_400L).generatePublicKeyRing();
    assertThat(verifies(ring, signNow(PRIMARY.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSignedWhileValidButPrimaryExpiredNow_fails() throws Exception {
    PGPPublicKeyRing ring =
        ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 2 * 86_400L).generatePublicKeyRing();
    byte[] sig = sign(PRIMARY.getPrivateKey(), new Date(CREATED.getTime() + DAY));
    // At the signature's time the key was valid; it is not now.
    assertThat(
            PgpSignatures.verify(
                ring, MESSAGE, sig, Instant.ofEpochMilli(CREATED.getTime() + DAY + 60_000)))
        .isTrue();
    assertThat(verifies(ring, sig)).isFalse();
  }

  @Test
  void verify_whenSubkeyExpired_fails() throws Exception {
    PGPKeyRingGenerator gen = ring(KeyFlags.CERTIFY_OTHER, 0);
    gen.addSubKey(SUB, flags(KeyFlags.SIGN_DATA, 86_400L), null, signer(SUB));
    assertThat(verifies(gen.generatePublicKeyRing(), signNow(SUB.getPrivateKey()))).isFalse();
  }

  @Test
  void verify_whenSignatureClaimsTimeBeforeKeyExisted_fails() throws Exception {
    PGPPublicKeyRing ring =
        ring(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA, 0).generatePublicKeyRing();
    byte[] sig = sign(PRIMARY.getPrivateKey(), new Date(CREATED.getTime() - DAY));
    assertThat(verifies(ring, sig)).isFalse();
  }

  // A real GnuPG key, when gpg is installed.

  @Test
  void verify_withGnupgQuickGenKey_acceptsItsSignature(@TempDir Path home) throws Exception {
    Assumptions.assumeTrue(run(home, "gpg", "--version") == 0, "gpg is not installed");
    try {
      gnupgKeySignature(home);
    } finally {
      run(home, "gpgconf", "--kill", "all"); // the gpg-agent this test started
    }
  }

  private static void gnupgKeySignature(Path home) throws Exception {
    Assumptions.assumeTrue(
        run(
                home,
                "gpg",
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                "Cairn gpg <gpg@example.test>",
                "ed25519",
                "sign,cert",
                "1y")
            == 0,
        "gpg --quick-gen-key failed");
    Path msg = Files.write(home.resolve("msg"), MESSAGE);
    Assumptions.assumeTrue(
        run(
                home,
                "gpg",
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--detach-sign",
                "--digest-algo",
                "SHA256",
                "-o",
                home.resolve("msg.sig").toString(),
                msg.toString())
            == 0,
        "gpg --detach-sign failed");
    Assumptions.assumeTrue(
        run(home, "gpg", "--batch", "--armor", "--export", "-o", home.resolve("pub.asc").toString())
            == 0,
        "gpg --export failed");
    PGPPublicKeyRing ring = PgpKeys.readPublicKeyRing(Files.readString(home.resolve("pub.asc")));
    byte[] sig = Files.readAllBytes(home.resolve("msg.sig"));
    assertThat(PgpSignatures.verify(ring, MESSAGE, sig, Instant.now().plusSeconds(5))).isTrue();
    assertThat(
            PgpSignatures.verify(
                ring, "other".getBytes(StandardCharsets.UTF_8), sig, Instant.now()))
        .isFalse();
    // Two years on, the 1y key has expired.
    assertThat(
            PgpSignatures.verify(ring, MESSAGE, sig, Instant.now().plusSeconds(2 * 366 * 86_400L)))
        .isFalse();
  }

  private static int run(Path home, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("GNUPGHOME", home.toString());
    pb.redirectOutput(home.resolve("gpg.log").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (java.io.IOException e) {
      return -1;
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @SuppressWarnings("unused")
  private static <T> List<T> list(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
