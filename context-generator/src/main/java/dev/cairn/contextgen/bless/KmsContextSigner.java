package dev.cairn.contextgen.bless;

import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.signature.ManifestSigner;
import dev.cairn.core.signature.SignatureAlgorithm;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * KMS {@code Sign} (ECDSA_SHA_256, {@code MessageType=DIGEST} over SHA-256 of the context): the
 * signature verifies as SHA256withECDSA over the context bytes.
 */
public final class KmsContextSigner implements ManifestSigner {

  private final KmsClient kms;
  private final String keyId;

  public KmsContextSigner(KmsClient kms, String keyId) {
    this.kms = kms;
    this.keyId = keyId;
  }

  @Override
  public String signingIdentity() {
    return "kms:" + keyId;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return SignatureAlgorithm.ECDSA_SHA_256;
  }

  @Override
  public byte[] sign(byte[] message) {
    return kms.sign(
            SignRequest.builder()
                .keyId(keyId)
                .messageType(MessageType.DIGEST)
                .message(SdkBytes.fromByteArray(Sha256.newDigest().digest(message)))
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                .build())
        .signature()
        .asByteArray();
  }
}
