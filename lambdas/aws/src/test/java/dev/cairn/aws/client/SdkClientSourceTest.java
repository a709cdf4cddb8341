package dev.cairn.aws.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The production client source builds any client from its interface's {@code builder()}: the region
 * and endpoint overrides reach it, and a type that is not a synchronous AWS client is refused by
 * name.
 */
class SdkClientSourceTest {

  private final SdkClientSource clients =
      new SdkClientSource(AwsClients.of("http://127.0.0.1:9", "eu-west-1"));

  @Test
  void client_buildsTheServiceFromItsOwnBuilder_withTheConfiguredRegion() {
    try (KmsClient kms = clients.client(KmsClient.class)) {
      assertThat(kms.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
      assertThat(kms.serviceClientConfiguration().endpointOverride())
          .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:9"));
    }
  }

  @Test
  void client_inAnotherRegion_isBuiltThere() {
    StaticCredentialsProvider session =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASESSION000000000", "s"));
    try (KmsClient kms = clients.client(KmsClient.class, "us-west-2", session)) {
      assertThat(kms.serviceClientConfiguration().region()).isEqualTo(Region.US_WEST_2);
    }
    try (S3Client s3 = clients.client(S3Client.class, "us-west-2", session)) {
      assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.US_WEST_2);
    }
  }

  @Test
  void client_ofATypeWithoutABuilder_isRefusedByName() {
    assertThatThrownBy(() -> clients.client(SdkClient.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("software.amazon.awssdk.core.SdkClient");
  }
}
