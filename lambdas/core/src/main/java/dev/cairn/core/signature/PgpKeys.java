package dev.cairn.core.signature;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** OpenPGP keys: armored public key rings (pinned in trust policies) and secret keys (signing). */
public final class PgpKeys {

  private PgpKeys() {}

  /** Reads an armored (or binary) public key ring. */
  public static PGPPublicKeyRing readPublicKeyRing(String armored) {
    try (InputStream in =
        PGPUtil.getDecoderStream(
            new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
      return new PGPPublicKeyRing(in, new BcKeyFingerprintCalculator());
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException("unreadable OpenPGP public key: " + e.getMessage(), e);
    }
  }

  /** True when the text looks like an armored OpenPGP public key block. */
  public static boolean looksArmoredPublicKey(String text) {
    return text != null && text.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  }

  /**
   * Upper-case hex fingerprint of the ring's primary key: the {@code pgp:<fingerprint>} identity.
   */
  public static String fingerprint(PGPPublicKeyRing ring) {
    return HexFormat.of().formatHex(ring.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
  }

  /** Reads an armored secret key ring and unlocks its first signing-capable key. */
  public static PGPPrivateKey readSigningKey(String armored, char[] passphrase) {
    try (InputStream in =
        PGPUtil.getDecoderStream(
            new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
      PGPSecretKeyRing ring = new PGPSecretKeyRing(in, new BcKeyFingerprintCalculator());
      Iterator<PGPSecretKey> keys = ring.getSecretKeys();
      while (keys.hasNext()) {
        PGPSecretKey key = keys.next();
        if (key.isSigningKey() && !key.getPublicKey().hasRevocation()) {
          return key.extractPrivateKey(
              new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                  .build(passphrase));
        }
      }
      throw new KeyFormatException("OpenPGP secret key ring has no usable signing key");
    } catch (PGPException e) {
      throw new KeyFormatException("cannot unlock OpenPGP secret key: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyFormatException kfe) {
        throw kfe;
      }
      throw new KeyFormatException("unreadable OpenPGP secret key: " + e.getMessage(), e);
    }
  }

  /** A generated OpenPGP key: armored secret and public rings. */
  public record GeneratedKey(
      String armoredSecretKey, String armoredPublicKey, String fingerprint) {}

  /**
   * Generates an RSA-3072 OpenPGP signing key protected by {@code passphrase} (empty for none). For
   * sandboxes and tests; production keys come from the operator's own tooling.
   */
  public static GeneratedKey generate(String userId, char[] passphrase) {
    try {
      RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
      rsa.init(
          new RSAKeyGenerationParameters(
              BigInteger.valueOf(0x10001), new SecureRandom(), 3072, 80));
      BcPGPKeyPair pair =
          new BcPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
      PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
      PGPKeyRingGenerator gen =
          new PGPKeyRingGenerator(
              PGPSignature.POSITIVE_CERTIFICATION,
              pair,
              userId,
              sha1,
              null,
              null,
              new BcPGPContentSignerBuilder(
                  pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
              passphrase.length == 0
                  ? null
                  : new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1)
                      .build(passphrase));
      PGPSecretKeyRing secret = gen.generateSecretKeyRing();
      PGPPublicKeyRing pub = gen.generatePublicKeyRing();
      return new GeneratedKey(
          armor(secret.getEncoded()), armor(pub.getEncoded()), fingerprint(pub));
    } catch (PGPException | IOException e) {
      throw new IllegalStateException("OpenPGP key generation failed", e);
    }
  }

  static String armor(byte[] binary) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
      armored.write(binary);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** The public key in {@code ring} with {@code keyId}, if it is there and may sign. */
  static PGPPublicKey signingKey(PGPPublicKeyRing ring, long keyId) {
    PGPPublicKey key = ring.getPublicKey(keyId);
    if (key == null || key.hasRevocation()) {
      return null;
    }
    return key;
  }
}
