package dev.cairn.aws.kms;

import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.signature.port.ManifestSigner;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * {@link ManifestSigner} on KMS {@code Sign} (ARCHITECTURE decision 1): the message is hashed here
 * with SHA-256 and only the 32-byte digest is sent, with {@code MessageType=DIGEST} (manifests
 * exceed the 4 KB RAW limit). The signature verifies over the message itself with the key's public
 * half ({@code SHA256withECDSA} or PSS-SHA-256), offline.
 */
public final class KmsManifestSigner implements ManifestSigner {

  private final KmsClient kms;
  private final String keyId;
  private final String signingIdentity;
  private final SignatureAlgorithm algorithm;

  /**
   * ECDSA_SHA_256 signer. {@code signingIdentity} is e.g. {@code kms:alias/cdk-ci-artifact-signer}.
   */
  public KmsManifestSigner(KmsClient kms, String keyId, String signingIdentity) {
    this(kms, keyId, signingIdentity, SignatureAlgorithm.ECDSA_SHA_256);
  }

  public KmsManifestSigner(
      KmsClient kms, String keyId, String signingIdentity, SignatureAlgorithm algorithm) {
    if (algorithm == SignatureAlgorithm.OPENPGP) {
      throw new IllegalArgumentException("KMS cannot produce OpenPGP signatures");
    }
    this.kms = kms;
    this.keyId = keyId;
    this.signingIdentity = signingIdentity;
    this.algorithm = algorithm;
  }

  @Override
  public String signingIdentity() {
    return signingIdentity;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public byte[] sign(byte[] message) {
    byte[] digest = Sha256.newDigest().digest(message);
    return kms.sign(
            r ->
                r.keyId(keyId)
                    .messageType(MessageType.DIGEST)
                    .message(SdkBytes.fromByteArray(digest))
                    .signingAlgorithm(SigningAlgorithmSpec.fromValue(algorithm.name())))
        .signature()
        .asByteArray();
  }
}
