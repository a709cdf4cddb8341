package dev.cairn.testing.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

class FakeEcrClientTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private final FakeEcrClient ecr =
      new FakeEcrClient(
          "111111111111", Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

  @Test
  void describeImages_returnsTheDigestByTagOrDigest() {
    ecr.putImage("cdk-assets", DIGEST, "abc123");
    var byTag =
        ecr.describeImages(
            r ->
                r.repositoryName("cdk-assets")
                    .imageIds(ImageIdentifier.builder().imageTag("abc123").build()));
    assertThat(byTag.imageDetails())
        .singleElement()
        .satisfies(d -> assertThat(d.imageDigest()).isEqualTo(DIGEST));
    var byDigest =
        ecr.describeImages(
            r ->
                r.repositoryName("cdk-assets")
                    .imageIds(ImageIdentifier.builder().imageDigest(DIGEST).build()));
    assertThat(byDigest.imageDetails().get(0).imageTags()).containsExactly("abc123");
  }

  @Test
  void unknownRepositoryOrImage_useTheApiExceptions() {
    assertThatThrownBy(() -> ecr.describeImages(r -> r.repositoryName("nope")))
        .isInstanceOfSatisfying(
            RepositoryNotFoundException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RepositoryNotFoundException");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    ecr.createRepository("cdk-assets");
    assertThatThrownBy(
            () ->
                ecr.describeImages(
                    r ->
                        r.repositoryName("cdk-assets")
                            .imageIds(ImageIdentifier.builder().imageDigest(DIGEST).build())))
        .isInstanceOfSatisfying(
            ImageNotFoundException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ImageNotFoundException"));
  }

  @Test
  void describeImages_ofAnotherAccountsRegistry_findsNoRepository() {
    ecr.putImage("cdk-assets", DIGEST, "abc123");

    assertThatThrownBy(
            () ->
                ecr.describeImages(r -> r.registryId("222222222222").repositoryName("cdk-assets")))
        .isInstanceOf(RepositoryNotFoundException.class)
        .hasMessageContaining("in the registry with id '222222222222'");
    assertThat(
            ecr.describeImages(r -> r.registryId("111111111111").repositoryName("cdk-assets"))
                .imageDetails())
        .hasSize(1);
  }
}
