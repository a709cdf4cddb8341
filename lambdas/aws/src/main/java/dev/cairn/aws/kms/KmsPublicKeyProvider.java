package dev.cairn.aws.kms;

import dev.cairn.core.integrity.Sha256;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * Fetches a KMS key's public half ({@code GetPublicKey}) for a trust-policy entry, once per key,
 * and refuses it unless its fingerprint (SHA-256 of the SPKI DER, lower-case hex, as {@code
 * TrustedSigner.keyFingerprint()}) is the pinned one. KMS is never trusted to say which key is
 * right: the pin is.
 */
public final class KmsPublicKeyProvider {

  private final KmsClient kms;
  private final Map<String, PublicKey> cache = new ConcurrentHashMap<>();

  public KmsPublicKeyProvider(KmsClient kms) {
    this.kms = kms;
  }

  /**
   * The public key of KMS key {@code keyId} for trust-policy entry {@code signer}: refused unless
   * its fingerprint is the one the policy pins for that signer.
   */
  public PublicKey publicKey(String keyId, dev.cairn.core.trust.TrustedSigner signer) {
    return publicKey(keyId, signer.keyFingerprint());
  }

  /**
   * The key pinned by {@code pinnedFingerprint}; throws {@link KeyPinMismatchException} otherwise.
   */
  public PublicKey publicKey(String keyId, String pinnedFingerprint) {
    String cacheKey = keyId + "\n" + pinnedFingerprint;
    PublicKey cached = cache.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    GetPublicKeyResponse response = kms.getPublicKey(r -> r.keyId(keyId));
    if (response.keyUsage() != KeyUsageType.SIGN_VERIFY) {
      throw new KeyPinMismatchException(
          "KMS key " + keyId + " is not a signing key (KeyUsage " + response.keyUsage() + ")");
    }
    byte[] spki = response.publicKey().asByteArray();
    String fingerprint = Sha256.hex(spki);
    if (!fingerprint.equals(pinnedFingerprint)) {
      throw new KeyPinMismatchException(
          "KMS key "
              + keyId
              + " has public key fingerprint "
              + fingerprint
              + ", but the trust policy pins "
              + pinnedFingerprint);
    }
    PublicKey key;
    try {
      String family = response.keySpecAsString().startsWith("RSA") ? "RSA" : "EC";
      key = KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new KeyPinMismatchException(
          "KMS returned an unreadable public key for " + keyId + ": " + e.getMessage());
    }
    cache.put(cacheKey, key);
    return key;
  }

  /** The fetched key does not match the pin. */
  public static final class KeyPinMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyPinMismatchException(String message) {
      super(message);
    }
  }
}
