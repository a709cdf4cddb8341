package dev.cairn.core.trust;

import dev.cairn.core.signature.JcaSignatures;
import dev.cairn.core.signature.KeyFormatException;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSignatures;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.security.PublicKey;
import java.time.Instant;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * One pinned signer: an identity, its algorithm and its public key, parsed once. The identity a
 * manifest names only selects this entry; the key always comes from here.
 */
public final class TrustedSigner {

  private final String identity;
  private final SignatureAlgorithm algorithm;
  private final String publicKeyText;
  private final PublicKey jcaKey;
  private final PGPPublicKeyRing pgpRing;
  private final String keyFingerprint;

  /**
   * Parses the key now; a signer that cannot verify anything is never constructed.
   *
   * @throws TrustPolicyException if the key is unreadable, of the wrong kind, or does not match the
   *     identity's fingerprint
   */
  public static TrustedSigner of(
      String identity, SignatureAlgorithm algorithm, String publicKeyText) {
    return new TrustedSigner(identity, algorithm, publicKeyText);
  }

  TrustedSigner(String identity, SignatureAlgorithm algorithm, String publicKeyText) {
    this.identity = identity;
    this.algorithm = algorithm;
    this.publicKeyText = publicKeyText;
    try {
      if (algorithm == SignatureAlgorithm.OPENPGP) {
        this.pgpRing = PgpKeys.readPublicKeyRing(publicKeyText);
        this.jcaKey = null;
        this.keyFingerprint = PgpKeys.fingerprint(pgpRing);
        if (identity.startsWith("pgp:")
            && !identity.substring(4).replace(" ", "").equalsIgnoreCase(keyFingerprint)) {
          throw new TrustPolicyException(
              "signer "
                  + identity
                  + ": the pinned OpenPGP key's fingerprint is "
                  + keyFingerprint
                  + ", not the one in the identity");
        }
      } else {
        this.jcaKey = PemKeys.readPublicKey(publicKeyText);
        this.pgpRing = null;
        SignatureAlgorithm implied = PemKeys.algorithmOf(jcaKey);
        if (implied != algorithm) {
          throw new TrustPolicyException(
              "signer "
                  + identity
                  + ": algorithm "
                  + algorithm
                  + " does not fit its "
                  + jcaKey.getAlgorithm()
                  + " key");
        }
        this.keyFingerprint = PemKeys.fingerprint(jcaKey);
      }
    } catch (KeyFormatException e) {
      throw new TrustPolicyException("signer " + identity + ": " + e.getMessage(), e);
    }
  }

  public String identity() {
    return identity;
  }

  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The key as the policy file holds it (PEM or armored OpenPGP). */
  public String publicKeyText() {
    return publicKeyText;
  }

  /** SHA-256 of the SPKI DER for PEM keys; the OpenPGP fingerprint for OpenPGP keys. */
  public String keyFingerprint() {
    return keyFingerprint;
  }

  /**
   * True when {@code signature} is this signer's valid signature over {@code message}. An OpenPGP
   * key must also be fit to sign at the signature's time and at {@code now} (not revoked, not
   * expired, the sign flag, a bound subkey): {@link PgpSignatures#verify}.
   */
  public boolean verifies(byte[] message, byte[] signature, Instant now) {
    if (algorithm == SignatureAlgorithm.OPENPGP) {
      return PgpSignatures.verify(pgpRing, message, signature, now);
    }
    return JcaSignatures.verify(algorithm, jcaKey, message, signature);
  }
}
