package dev.cairn.aws.kms;

import dev.cairn.core.ledger.port.ItemAuthenticator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;

/**
 * {@link ItemAuthenticator} on a KMS {@code HMAC_256} key: {@code GenerateMac} to write, {@code
 * VerifyMac} to read, both {@code HMAC_SHA_256}. The key material never leaves KMS, so only
 * principals whose policies allow {@code kms:GenerateMac} on the key can produce a MAC. One KMS
 * call per item written or read (docs/decisions/2026-12-06-authenticated-records.md).
 */
public final class KmsItemAuthenticator implements ItemAuthenticator {

  private static final MacAlgorithmSpec ALGORITHM = MacAlgorithmSpec.HMAC_SHA_256;

  private final KmsClient kms;
  private final String keyId;

  public KmsItemAuthenticator(KmsClient kms, String keyId) {
    this.kms = kms;
    this.keyId = keyId;
  }

  @Override
  public byte[] mac(byte[] digest) {
    return kms.generateMac(
            r -> r.keyId(keyId).macAlgorithm(ALGORITHM).message(SdkBytes.fromByteArray(digest)))
        .mac()
        .asByteArray();
  }

  @Override
  public boolean verify(byte[] digest, byte[] mac) {
    try {
      return kms.verifyMac(
              r ->
                  r.keyId(keyId)
                      .macAlgorithm(ALGORITHM)
                      .message(SdkBytes.fromByteArray(digest))
                      .mac(SdkBytes.fromByteArray(mac)))
          .macValid();
    } catch (KmsInvalidMacException e) {
      // KMS reports a MAC that does not match as this exception, never as MacValid=false.
      return false;
    }
  }
}
