package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.signature.JcaSignatures;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

class KmsEmulatorTest {

  private static final byte[] MESSAGE = "canonical manifest bytes".getBytes(StandardCharsets.UTF_8);

  private final KmsEmulator kms = new KmsEmulator();

  private byte[] sign(String keyId, SigningAlgorithmSpec alg, MessageType type, byte[] message) {
    return kms.sign(
            r ->
                r.keyId(keyId)
                    .signingAlgorithm(alg)
                    .messageType(type)
                    .message(SdkBytes.fromByteArray(message)))
        .signature()
        .asByteArray();
  }

  @Test
  void sign_ecdsaDigest_verifiesWithJcaOverTheMessage() {
    String key = kms.createKey(KeySpec.ECC_NIST_P256);
    byte[] sig =
        sign(
            key,
            SigningAlgorithmSpec.ECDSA_SHA_256,
            MessageType.DIGEST,
            KmsEmulator.sha256(MESSAGE));
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, kms.publicKey(key), MESSAGE, sig))
        .isTrue();
    byte[] raw = sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE);
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, kms.publicKey(key), MESSAGE, raw))
        .isTrue();
  }

  @Test
  void sign_rsaPssDigestAndRaw_verifyWithJca() {
    String key = kms.createKey(KeySpec.RSA_2048);
    for (MessageType type : new MessageType[] {MessageType.DIGEST, MessageType.RAW}) {
      byte[] msg = type == MessageType.DIGEST ? KmsEmulator.sha256(MESSAGE) : MESSAGE;
      byte[] sig = sign(key, SigningAlgorithmSpec.RSASSA_PSS_SHA_256, type, msg);
      assertThat(
              JcaSignatures.verify(
                  SignatureAlgorithm.RSASSA_PSS_SHA_256, kms.publicKey(key), MESSAGE, sig))
          .as(type.toString())
          .isTrue();
      assertThat(
              kms.verify(
                      r ->
                          r.keyId(key)
                              .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)
                              .messageType(type)
                              .message(SdkBytes.fromByteArray(msg))
                              .signature(SdkBytes.fromByteArray(sig)))
                  .signatureValid())
          .isTrue();
    }
  }

  @Test
  void verify_whenSignatureWrong_throwsKmsInvalidSignature() {
    String key = kms.createKey(KeySpec.ECC_NIST_P256);
    byte[] sig = sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE);
    assertThatThrownBy(
            () ->
                kms.verify(
                    r ->
                        r.keyId(key)
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                            .messageType(MessageType.RAW)
                            .message(SdkBytes.fromUtf8String("other"))
                            .signature(SdkBytes.fromByteArray(sig))))
        .isInstanceOf(KmsInvalidSignatureException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).awsErrorDetails().errorCode())
                    .isEqualTo("KMSInvalidSignatureException"));
  }

  @Test
  void sign_whenKeyUnknown_throwsNotFound() {
    assertThatThrownBy(
            () ->
                sign("alias/missing", SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                sign(
                    "00000000-0000-0000-0000-000000000000",
                    SigningAlgorithmSpec.ECDSA_SHA_256,
                    MessageType.RAW,
                    MESSAGE))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void sign_whenKeyDisabled_throwsDisabled_andPendingDeletion_throwsInvalidState() {
    String key = kms.createKey(KeySpec.ECC_NIST_P256);
    kms.disableKey(key);
    assertThatThrownBy(
            () -> sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE))
        .isInstanceOf(DisabledException.class);
    assertThatThrownBy(() -> kms.getPublicKey(r -> r.keyId(key)))
        .isInstanceOf(DisabledException.class);
    kms.enableKey(key);
    assertThat(sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE))
        .isNotEmpty();
    kms.scheduleKeyDeletion(key);
    assertThatThrownBy(
            () -> sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE))
        .isInstanceOf(KmsInvalidStateException.class);
  }

  @Test
  void sign_whenAlgorithmDoesNotMatchKeySpec_throwsInvalidKeyUsage() {
    String ec = kms.createKey(KeySpec.ECC_NIST_P256);
    assertThatThrownBy(
            () -> sign(ec, SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.RAW, MESSAGE))
        .isInstanceOf(InvalidKeyUsageException.class);
    String rsa = kms.createKey(KeySpec.RSA_2048);
    assertThatThrownBy(
            () -> sign(rsa, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, MESSAGE))
        .isInstanceOf(InvalidKeyUsageException.class);
  }

  @Test
  void sign_whenKeyUsageIsEncrypt_throwsInvalidKeyUsage() {
    String key = kms.createKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
    assertThatThrownBy(
            () -> sign(key, SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.RAW, MESSAGE))
        .isInstanceOf(InvalidKeyUsageException.class);
  }

  @Test
  void sign_whenDigestLengthWrongOrRawTooLong_throwsValidation() {
    String key = kms.createKey(KeySpec.ECC_NIST_P256);
    assertThatThrownBy(
            () -> sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.DIGEST, MESSAGE))
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).awsErrorDetails().errorCode())
                    .isEqualTo("ValidationException"));
    assertThatThrownBy(
            () -> sign(key, SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.RAW, new byte[4097]))
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).awsErrorDetails().errorCode())
                    .isEqualTo("ValidationException"));
  }

  @Test
  void getPublicKey_byAliasAndArn_returnsSpkiAndAlgorithms() {
    String key = kms.createKey(KeySpec.ECC_NIST_P256);
    kms.createAlias("alias/cdk-ci-artifact-signer", key);
    var byAlias = kms.getPublicKey(r -> r.keyId("alias/cdk-ci-artifact-signer"));
    var byArn = kms.getPublicKey(r -> r.keyId(kms.keyArn(key)));
    assertThat(byAlias.publicKey()).isEqualTo(byArn.publicKey());
    assertThat(byAlias.publicKey().asByteArray()).isEqualTo(kms.publicKey(key).getEncoded());
    assertThat(byAlias.keyId()).isEqualTo(kms.keyArn(key));
    assertThat(byAlias.signingAlgorithms()).containsExactly(SigningAlgorithmSpec.ECDSA_SHA_256);
    assertThat(byAlias.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
  }
}
