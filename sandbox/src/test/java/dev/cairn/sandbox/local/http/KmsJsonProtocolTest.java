package dev.cairn.sandbox.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.emulators.KmsEmulator;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** KMS over AWS JSON 1.1, as the SDK's own KmsClient speaks it. */
class KmsJsonProtocolTest {

  static final String CI_ROLE = "arn:aws:iam::000000000000:role/cdk-ci-artifact-builder";

  KmsEmulator kms = new KmsEmulator("000000000000", "us-east-1");
  LocalAwsEndpoint endpoint;
  KmsClient client;
  String keyId;

  @BeforeEach
  void start() throws Exception {
    keyId = kms.createKey(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY);
    kms.createAlias("alias/cdk-ci-artifact-signer", keyId);
    endpoint =
        SdkClients.serving(
            "kms",
            LocalAwsEndpoint.underLock(
                new ReentrantLock(), new KmsJsonProtocol(principal -> kms, kms::keyArn)));
    client = SdkClients.as(KmsClient.builder(), endpoint, CI_ROLE);
  }

  @AfterEach
  void stop() {
    client.close();
    endpoint.close();
  }

  @Test
  void sign_byAlias_returnsARealEcdsaSignatureThatGetPublicKeysKeyVerifies() throws Exception {
    byte[] message = "canonical manifest bytes".getBytes(StandardCharsets.UTF_8);
    var signed =
        client.sign(
            r ->
                r.keyId("alias/cdk-ci-artifact-signer")
                    .message(SdkBytes.fromByteArray(message))
                    .messageType(MessageType.RAW)
                    .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
    var pub = client.getPublicKey(r -> r.keyId("alias/cdk-ci-artifact-signer"));
    assertThat(pub.keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
    assertThat(pub.signingAlgorithms()).contains(SigningAlgorithmSpec.ECDSA_SHA_256);
    PublicKey key =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(pub.publicKey().asByteArray()));
    Signature verify = Signature.getInstance("SHA256withECDSA");
    verify.initVerify(key);
    verify.update(message);
    assertThat(verify.verify(signed.signature().asByteArray())).isTrue();
    assertThat(signed.keyId()).isEqualTo(kms.keyArn(keyId));
  }

  @Test
  void sign_withoutAMessage_isValidationException() {
    assertThatThrownBy(
            () ->
                client.sign(
                    r ->
                        r.keyId("alias/cdk-ci-artifact-signer")
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.kms.model.KmsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            });
  }

  @Test
  void aRequestWithoutCredentials_isRefusedInTheJson11ErrorShape() throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(endpoint.uri())
                    .header("X-Amz-Target", "TrentService.DescribeKey")
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"KeyId\":\"x\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("MissingAuthenticationToken");
  }

  @Test
  void describeKey_returnsTheKeysMetadata() {
    var m = client.describeKey(r -> r.keyId(keyId)).keyMetadata();
    assertThat(m.arn()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/" + keyId);
    assertThat(m.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
    assertThat(m.keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
    assertThat(m.enabled()).isTrue();
    assertThat(m.awsAccountId()).isEqualTo("000000000000");
  }

  @Test
  void unknownKey_isNotFoundException_inTheJson11ErrorShape() {
    assertThatThrownBy(() -> client.describeKey(r -> r.keyId("alias/nobody")))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFoundException");
            });
  }
}
