package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidMacException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** GenerateMac and VerifyMac as the KMS API reference describes them. */
class KmsEmulatorMacTest {

  private static final byte[] MESSAGE = "canonical item digest".getBytes(StandardCharsets.UTF_8);

  private final KmsEmulator kms = new KmsEmulator();
  private final String key =
      kms.createKey("record-mac", KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);

  private byte[] mac(String keyId, MacAlgorithmSpec alg, byte[] message) {
    return kms.generateMac(
            r -> r.keyId(keyId).macAlgorithm(alg).message(SdkBytes.fromByteArray(message)))
        .mac()
        .asByteArray();
  }

  private void verify(String keyId, MacAlgorithmSpec alg, byte[] message, byte[] mac) {
    kms.verifyMac(
        r ->
            r.keyId(keyId)
                .macAlgorithm(alg)
                .message(SdkBytes.fromByteArray(message))
                .mac(SdkBytes.fromByteArray(mac)));
  }

  @Test
  void generateMac_hmacSha256_isDeterministic32BytesAndVerifies() {
    byte[] mac = mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE);
    assertThat(mac).hasSize(32).isEqualTo(mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE));
    var response =
        kms.verifyMac(
            r ->
                r.keyId(kms.keyArn(key))
                    .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                    .message(SdkBytes.fromByteArray(MESSAGE))
                    .mac(SdkBytes.fromByteArray(mac)));
    assertThat(response.macValid()).isTrue();
    assertThat(response.keyId()).isEqualTo(kms.keyArn(key));
    assertThat(response.macAlgorithm()).isEqualTo(MacAlgorithmSpec.HMAC_SHA_256);
  }

  @Test
  void generateMac_responseNamesTheKeyArnAndAlgorithm() {
    var response =
        kms.generateMac(
            r ->
                r.keyId(key)
                    .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                    .message(SdkBytes.fromByteArray(MESSAGE)));
    assertThat(response.keyId())
        .isEqualTo("arn:aws:kms:us-east-1:111122223333:key/record-mac")
        .isEqualTo(kms.keyArn(key));
    assertThat(response.macAlgorithm()).isEqualTo(MacAlgorithmSpec.HMAC_SHA_256);
  }

  @Test
  void verifyMac_whenMessageAltered_failsKmsInvalidMac() {
    byte[] mac = mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE);
    byte[] altered = MESSAGE.clone();
    altered[0] ^= 1;
    assertThatThrownBy(() -> verify(key, MacAlgorithmSpec.HMAC_SHA_256, altered, mac))
        .isInstanceOf(KmsInvalidMacException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).awsErrorDetails().errorCode())
                    .isEqualTo("KMSInvalidMacException"));
  }

  @Test
  void verifyMac_whenMacAlteredOrTruncated_failsKmsInvalidMac() {
    byte[] mac = mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE);
    byte[] flipped = mac.clone();
    flipped[31] ^= (byte) 0x80;
    assertThatThrownBy(() -> verify(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE, flipped))
        .isInstanceOf(KmsInvalidMacException.class);
    byte[] truncated = java.util.Arrays.copyOf(mac, 16);
    assertThatThrownBy(() -> verify(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE, truncated))
        .isInstanceOf(KmsInvalidMacException.class);
  }

  @Test
  void verifyMac_withAnotherKeysMac_failsKmsInvalidMac() {
    String other = kms.createKey(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
    byte[] foreign = mac(other, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE);
    assertThat(foreign).isNotEqualTo(mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE));
    assertThatThrownBy(() -> verify(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE, foreign))
        .isInstanceOf(KmsInvalidMacException.class);
  }

  @Test
  void generateMac_algorithmNotMatchingKeySpec_failsInvalidKeyUsage() {
    assertThatThrownBy(() -> mac(key, MacAlgorithmSpec.HMAC_SHA_512, MESSAGE))
        .isInstanceOf(InvalidKeyUsageException.class);
    String k512 = kms.createKey(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC);
    assertThat(mac(k512, MacAlgorithmSpec.HMAC_SHA_512, MESSAGE)).hasSize(64);
  }

  @Test
  void generateMac_onSigningKey_failsInvalidKeyUsage() {
    String signing = kms.createKey(KeySpec.ECC_NIST_P256);
    assertThatThrownBy(() -> mac(signing, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE))
        .isInstanceOf(InvalidKeyUsageException.class);
  }

  @Test
  void sign_onHmacKey_failsInvalidKeyUsage() {
    assertThatThrownBy(
            () ->
                kms.sign(
                    r ->
                        r.keyId(key)
                            .signingAlgorithm(
                                software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec
                                    .ECDSA_SHA_256)
                            .message(SdkBytes.fromByteArray(MESSAGE))))
        .isInstanceOf(InvalidKeyUsageException.class);
  }

  @Test
  void createKey_hmacSpecWithSignVerify_isRefused() {
    assertThatThrownBy(() -> kms.createKey(KeySpec.HMAC_256, KeyUsageType.SIGN_VERIFY))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("does not support KeyUsage");
  }

  @Test
  void generateMac_missingAlgorithmOrBadLengths_failValidation() {
    assertThatThrownBy(() -> mac(key, null, MESSAGE)).satisfies(e -> assertValidation(e));
    assertThatThrownBy(() -> mac(key, MacAlgorithmSpec.HMAC_SHA_256, new byte[0]))
        .satisfies(e -> assertValidation(e));
    assertThatThrownBy(() -> mac(key, MacAlgorithmSpec.HMAC_SHA_256, new byte[4097]))
        .satisfies(e -> assertValidation(e));
    assertThat(mac(key, MacAlgorithmSpec.HMAC_SHA_256, new byte[4096])).hasSize(32);
    assertThatThrownBy(() -> verify(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE, new byte[0]))
        .satisfies(e -> assertValidation(e));
    assertThatThrownBy(() -> verify(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE, new byte[6145]))
        .satisfies(e -> assertValidation(e));
  }

  @Test
  void generateMac_disabledPendingDeletionOrUnknownKey_failsAsKmsDoes() {
    kms.disableKey(key);
    assertThatThrownBy(() -> mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE))
        .isInstanceOf(DisabledException.class);
    kms.enableKey(key);
    kms.scheduleKeyDeletion(key);
    assertThatThrownBy(() -> mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE))
        .isInstanceOf(KmsInvalidStateException.class);
    assertThatThrownBy(() -> mac("no-such-key", MacAlgorithmSpec.HMAC_SHA_256, MESSAGE))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void generateMac_byAlias_usesTheAliasedKey() {
    kms.createAlias("alias/cairn-record-mac", key);
    byte[] viaAlias = mac("alias/cairn-record-mac", MacAlgorithmSpec.HMAC_SHA_256, MESSAGE);
    assertThat(viaAlias).isEqualTo(mac(key, MacAlgorithmSpec.HMAC_SHA_256, MESSAGE));
  }

  @Test
  void getPublicKey_onHmacKey_failsUnsupportedOperation() {
    assertThatThrownBy(() -> kms.getPublicKey(r -> r.keyId(key)))
        .isInstanceOf(
            software.amazon.awssdk.services.kms.model.UnsupportedOperationException.class);
  }

  @Test
  void keyArns_nameTheConfiguredAccountAndRegion() {
    KmsEmulator tools = new KmsEmulator("000000000000", "eu-west-1");
    String k = tools.createKey("k1", KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
    assertThat(tools.keyArn(k)).isEqualTo("arn:aws:kms:eu-west-1:000000000000:key/k1");
    assertThat(
            tools
                .generateMac(
                    r ->
                        r.keyId("arn:aws:kms:eu-west-1:000000000000:key/k1")
                            .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                            .message(SdkBytes.fromByteArray(MESSAGE)))
                .mac()
                .asByteArray())
        .hasSize(32);
  }

  private static void assertValidation(Throwable e) {
    assertThat(e).isInstanceOf(KmsException.class);
    assertThat(((KmsException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException");
  }
}
