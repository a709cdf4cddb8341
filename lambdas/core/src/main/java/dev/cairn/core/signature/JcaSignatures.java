package dev.cairn.core.signature;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Real JCA signatures with exactly the parameters KMS uses: {@code ECDSA_SHA_256} is {@code
 * SHA256withECDSA} (DER), {@code RSASSA_PSS_SHA_256} is PSS with SHA-256, MGF1-SHA-256 and a
 * 32-byte salt.
 *
 * <p>KMS signing with {@code MessageType=DIGEST} over SHA-256(message) yields signatures that
 * verify here over the message itself.
 */
public final class JcaSignatures {

  private static final PSSParameterSpec PSS_SHA256 =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private JcaSignatures() {}

  /** Signs {@code message}. */
  public static byte[] sign(SignatureAlgorithm algorithm, PrivateKey key, byte[] message) {
    try {
      Signature s = instance(algorithm);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  /**
   * True when {@code signature} is a valid signature of {@code message} under {@code key}.
   * Malformed signatures are simply invalid; they never throw.
   */
  public static boolean verify(
      SignatureAlgorithm algorithm, PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature s = instance(algorithm);
      s.initVerify(key);
      s.update(message);
      if (s.verify(signature)) {
        return true;
      }
      // RSASSA-PSS: KMS uses a 32-byte salt; OpenSSL 3.0 signs with the maximum salt length by
      // default. Both are PSS/SHA-256/MGF1-SHA-256 and equally sound; accept either.
      if (algorithm == SignatureAlgorithm.RSASSA_PSS_SHA_256
          && key instanceof java.security.interfaces.RSAPublicKey rsa) {
        int emLen = (rsa.getModulus().bitLength() - 1 + 7) / 8;
        int maxSalt = emLen - 32 - 2;
        if (maxSalt > 0 && maxSalt != 32) {
          Signature max = Signature.getInstance("RSASSA-PSS");
          max.setParameter(
              new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, maxSalt, 1));
          max.initVerify(key);
          max.update(message);
          return max.verify(signature);
        }
      }
      return false;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static Signature instance(SignatureAlgorithm algorithm) throws GeneralSecurityException {
    return switch (algorithm) {
      case ECDSA_SHA_256 -> Signature.getInstance("SHA256withECDSA");
      case RSASSA_PSS_SHA_256 -> {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(PSS_SHA256);
        yield s;
      }
      case OPENPGP -> throw new IllegalArgumentException("OpenPGP is handled by PgpSignatures");
    };
  }
}
