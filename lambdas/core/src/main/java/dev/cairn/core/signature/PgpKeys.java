package dev.cairn.core.signature;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
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
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
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

  /**
   * Reads an armored secret key ring and unlocks its first key that {@link #signingKey} accepts at
   * {@code now} (so a certify-only primary with a signing subkey signs with the subkey, and nothing
   * signs that the verifier would refuse).
   */
  public static PGPPrivateKey readSigningKey(String armored, char[] passphrase, Instant now) {
    try (InputStream in =
        PGPUtil.getDecoderStream(
            new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
      PGPSecretKeyRing ring = new PGPSecretKeyRing(in, new BcKeyFingerprintCalculator());
      List<PGPPublicKey> publicKeys = new ArrayList<>();
      ring.getPublicKeys().forEachRemaining(publicKeys::add);
      PGPPublicKeyRing publicRing = new PGPPublicKeyRing(publicKeys);
      Date at = Date.from(now);
      Iterator<PGPSecretKey> keys = ring.getSecretKeys();
      while (keys.hasNext()) {
        PGPSecretKey key = keys.next();
        if (!key.isPrivateKeyEmpty() && signingKey(publicRing, key.getKeyID(), at, at) != null) {
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
      // The self-signature must say the key signs: signingKey refuses a primary without the flag.
      PGPSignatureSubpacketGenerator flags = new PGPSignatureSubpacketGenerator();
      flags.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
      PGPKeyRingGenerator gen =
          new PGPKeyRingGenerator(
              PGPSignature.POSITIVE_CERTIFICATION,
              pair,
              userId,
              sha1,
              flags.generate(),
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

  /**
   * The key in {@code ring} with {@code keyId}, if it may have made a signature at {@code signedAt}
   * and may still be relied on at {@code now}; else null. In this order (RFC 9580 5.2.3, 10.1):
   *
   * <ol>
   *   <li>the primary key is not revoked and has a valid self-signature (a user ID certification or
   *       direct-key signature it made itself, verified here; the latest one counts);
   *   <li>the primary is not expired at {@code signedAt} nor at {@code now}, and was created by
   *       {@code signedAt};
   *   <li>a primary key signs only if that self-signature gives it the sign-data flag;
   *   <li>a subkey signs only if it is not revoked, the primary bound it (a subkey-binding
   *       signature by the primary that verifies, the latest one counting) with the sign-data flag,
   *       the binding embeds a primary-key binding back-signature made by the subkey that verifies,
   *       and the subkey is not expired at {@code signedAt} nor at {@code now}.
   * </ol>
   *
   * Any revocation signature present counts, verified or not: fail closed.
   */
  static PGPPublicKey signingKey(PGPPublicKeyRing ring, long keyId, Date signedAt, Date now) {
    PGPPublicKey primary = ring.getPublicKey();
    PGPPublicKey key = ring.getPublicKey(keyId);
    if (primary == null || key == null) {
      return null;
    }
    // 1. the primary: not revoked, self-signed
    if (primary.hasRevocation()) {
      return null;
    }
    PGPSignature self = latestSelfSignature(primary);
    if (self == null) {
      return null;
    }
    // 2. the primary is alive
    if (!alive(primary, self, signedAt, true) || !alive(primary, self, now, false)) {
      return null;
    }
    // 3. the primary signs
    if (key.getKeyID() == primary.getKeyID()) {
      return canSign(self) ? primary : null;
    }
    // 4. a subkey: not revoked, bound with the sign flag and back-signed, alive
    if (key.isMasterKey() || key.hasRevocation()) {
      return null;
    }
    PGPSignature binding = latestBinding(primary, key);
    if (binding == null
        || !canSign(binding)
        || !backSigned(primary, key, binding)
        || !alive(key, binding, signedAt, true)
        || !alive(key, binding, now, false)) {
      return null;
    }
    return key;
  }

  private static final int[] CERTIFICATIONS = {
    PGPSignature.DEFAULT_CERTIFICATION,
    PGPSignature.NO_CERTIFICATION,
    PGPSignature.CASUAL_CERTIFICATION,
    PGPSignature.POSITIVE_CERTIFICATION
  };

  /** The latest verified self-signature of {@code primary}, or null. */
  private static PGPSignature latestSelfSignature(PGPPublicKey primary) {
    PGPSignature latest = null;
    Iterator<String> ids = primary.getUserIDs();
    while (ids.hasNext()) {
      String id = ids.next();
      Iterator<PGPSignature> sigs = primary.getSignaturesForID(id);
      while (sigs != null && sigs.hasNext()) {
        PGPSignature sig = sigs.next();
        if (isCertification(sig)
            && sig.getKeyID() == primary.getKeyID()
            && later(sig, latest)
            && verifies(
                () -> {
                  sig.init(VERIFIERS, primary);
                  return sig.verifyCertification(id, primary);
                })) {
          latest = sig;
        }
      }
    }
    Iterator<PGPSignature> direct = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY);
    while (direct.hasNext()) {
      PGPSignature sig = direct.next();
      if (sig.getKeyID() == primary.getKeyID()
          && later(sig, latest)
          && verifies(
              () -> {
                sig.init(VERIFIERS, primary);
                return sig.verifyCertification(primary);
              })) {
        latest = sig;
      }
    }
    return latest;
  }

  /** The latest subkey-binding signature by {@code primary} over {@code subkey} that verifies. */
  private static PGPSignature latestBinding(PGPPublicKey primary, PGPPublicKey subkey) {
    PGPSignature latest = null;
    Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
    while (sigs.hasNext()) {
      PGPSignature sig = sigs.next();
      if (sig.getKeyID() == primary.getKeyID()
          && later(sig, latest)
          && verifies(
              () -> {
                sig.init(VERIFIERS, primary);
                return sig.verifyCertification(primary, subkey);
              })) {
        latest = sig;
      }
    }
    return latest;
  }

  /** The binding embeds a primary-key binding signature (0x19) made by the subkey that verifies. */
  private static boolean backSigned(PGPPublicKey primary, PGPPublicKey subkey, PGPSignature b) {
    for (PGPSignatureSubpacketVector area :
        new PGPSignatureSubpacketVector[] {b.getHashedSubPackets(), b.getUnhashedSubPackets()}) {
      if (area == null) {
        continue;
      }
      PGPSignatureList embedded;
      try {
        embedded = area.getEmbeddedSignatures();
      } catch (PGPException e) {
        continue;
      }
      for (PGPSignature back : embedded) {
        if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING
            && verifies(
                () -> {
                  back.init(VERIFIERS, subkey);
                  return back.verifyCertification(primary, subkey);
                })) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isCertification(PGPSignature sig) {
    for (int type : CERTIFICATIONS) {
      if (sig.getSignatureType() == type) {
        return true;
      }
    }
    return false;
  }

  private static boolean later(PGPSignature sig, PGPSignature than) {
    return than == null || sig.getCreationTime().after(than.getCreationTime());
  }

  /** The self-signature or binding gives the sign-data flag (absent flags: it does not). */
  private static boolean canSign(PGPSignature sig) {
    PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
    return hashed != null && (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) != 0;
  }

  /**
   * By {@code sig}'s key expiration time, {@code key} has not expired at {@code at}; when {@code
   * signing}, it also existed then (a signature cannot predate its key). {@code now} may precede
   * the key's creation (a verifier's clock behind the signer's): only expiry counts then.
   */
  private static boolean alive(PGPPublicKey key, PGPSignature sig, Date at, boolean signing) {
    long created = key.getCreationTime().getTime();
    if (signing && at.getTime() < created) {
      return false;
    }
    PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
    long validSeconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
    return validSeconds == 0 || at.getTime() < created + validSeconds * 1000L;
  }

  private interface Check {
    boolean run() throws PGPException;
  }

  /** A signature check; one that throws (bad packet, unknown algorithm) is a check that failed. */
  private static boolean verifies(Check check) {
    try {
      return check.run();
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }

  private static final BcPGPContentVerifierBuilderProvider VERIFIERS =
      new BcPGPContentVerifierBuilderProvider();
}
