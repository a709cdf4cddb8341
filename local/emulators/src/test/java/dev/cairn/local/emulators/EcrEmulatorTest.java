package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.InvalidLayerException;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.LayerFailureCode;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

class EcrEmulatorTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private final EcrEmulator ecr =
      new EcrEmulator(
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

  // --- The push path (API reference: BatchCheckLayerAvailability, InitiateLayerUpload,
  // UploadLayerPart, CompleteLayerUpload, PutImage, BatchGetImage) --------------------------------

  private static final String REPO = "cdk-hnb659fds-container-assets-111111111111-eu-west-1";
  private static final byte[] LAYER = "layer bytes".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONFIG = "{\"rootfs\":{}}".getBytes(StandardCharsets.UTF_8);

  /** Uploads {@code blob} as one part, as docker and cdk-assets do for a small layer. */
  private String upload(byte[] blob) {
    String id = ecr.initiateLayerUpload(r -> r.repositoryName(REPO)).uploadId();
    ecr.uploadLayerPart(
        r ->
            r.repositoryName(REPO)
                .uploadId(id)
                .partFirstByte(0L)
                .partLastByte(blob.length - 1L)
                .layerPartBlob(SdkBytes.fromByteArray(blob)));
    return ecr.completeLayerUpload(
            r -> r.repositoryName(REPO).uploadId(id).layerDigests(EcrEmulator.sha256(blob)))
        .layerDigest();
  }

  private static String manifest(String marker) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + EcrEmulator.sha256(CONFIG)
        + "\",\"size\":"
        + CONFIG.length
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
        + EcrEmulator.sha256(LAYER)
        + "\",\"size\":"
        + LAYER.length
        + "}],\"annotations\":{\"marker\":\""
        + marker
        + "\"}}";
  }

  private void pushBlobs() {
    upload(LAYER);
    upload(CONFIG);
  }

  @Test
  void push_imageDigestIsTheSha256OfTheManifestBytes_readBackByTagAndDigest() {
    ecr.createRepository(REPO, ImageTagMutability.IMMUTABLE);
    var missing =
        ecr.batchCheckLayerAvailability(
            r -> r.repositoryName(REPO).layerDigests(EcrEmulator.sha256(LAYER)));
    assertThat(missing.failures())
        .singleElement()
        .satisfies(
            f -> assertThat(f.failureCode()).isEqualTo(LayerFailureCode.MISSING_LAYER_DIGEST));
    pushBlobs();
    assertThat(
            ecr.batchCheckLayerAvailability(
                    r -> r.repositoryName(REPO).layerDigests(EcrEmulator.sha256(LAYER)))
                .layers())
        .singleElement()
        .satisfies(l -> assertThat(l.layerAvailability()).isEqualTo(LayerAvailability.AVAILABLE));
    String manifest = manifest("a");

    var put = ecr.putImage(r -> r.repositoryName(REPO).imageManifest(manifest).imageTag("abc123"));

    String digest = EcrEmulator.sha256(manifest.getBytes(StandardCharsets.UTF_8));
    assertThat(put.image().imageId().imageDigest()).isEqualTo(digest);
    var got =
        ecr.batchGetImage(
            r ->
                r.repositoryName(REPO)
                    .imageIds(ImageIdentifier.builder().imageTag("abc123").build()));
    assertThat(got.images())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.imageId().imageDigest()).isEqualTo(digest);
              assertThat(i.imageManifest()).isEqualTo(manifest);
              assertThat(i.imageManifestMediaType())
                  .isEqualTo("application/vnd.oci.image.manifest.v1+json");
            });
    assertThat(
            ecr.describeImages(
                    r ->
                        r.repositoryName(REPO)
                            .imageIds(ImageIdentifier.builder().imageTag("abc123").build()))
                .imageDetails())
        .singleElement()
        .satisfies(d -> assertThat(d.imageDigest()).isEqualTo(digest));
  }

  @Test
  void putImage_immutableRepository_anotherImageUnderATakenTag_isImageTagAlreadyExists() {
    ecr.createRepository(REPO, ImageTagMutability.IMMUTABLE);
    pushBlobs();
    ecr.putImage(r -> r.repositoryName(REPO).imageManifest(manifest("a")).imageTag("abc123"));

    assertThatThrownBy(
            () ->
                ecr.putImage(
                    r -> r.repositoryName(REPO).imageManifest(manifest("b")).imageTag("abc123")))
        .isInstanceOfSatisfying(
            ImageTagAlreadyExistsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode())
                  .isEqualTo("ImageTagAlreadyExistsException");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    assertThatThrownBy(
            () ->
                ecr.putImage(
                    r -> r.repositoryName(REPO).imageManifest(manifest("a")).imageTag("abc123")))
        .isInstanceOf(ImageAlreadyExistsException.class);
    var tagged =
        ecr.describeImages(
            r ->
                r.repositoryName(REPO)
                    .imageIds(ImageIdentifier.builder().imageTag("abc123").build()));
    assertThat(tagged.imageDetails().get(0).imageDigest())
        .isEqualTo(EcrEmulator.sha256(manifest("a").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void putImage_mutableRepository_theTagMovesToTheNewImage() {
    ecr.createRepository(REPO, ImageTagMutability.MUTABLE);
    pushBlobs();
    ecr.putImage(r -> r.repositoryName(REPO).imageManifest(manifest("a")).imageTag("abc123"));
    ecr.putImage(r -> r.repositoryName(REPO).imageManifest(manifest("b")).imageTag("abc123"));

    var tagged =
        ecr.describeImages(
            r ->
                r.repositoryName(REPO)
                    .imageIds(ImageIdentifier.builder().imageTag("abc123").build()));
    assertThat(tagged.imageDetails().get(0).imageDigest())
        .isEqualTo(EcrEmulator.sha256(manifest("b").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void putImage_layersNotUploaded_isLayersNotFound() {
    ecr.createRepository(REPO, ImageTagMutability.IMMUTABLE);
    upload(CONFIG);

    assertThatThrownBy(
            () ->
                ecr.putImage(
                    r -> r.repositoryName(REPO).imageManifest(manifest("a")).imageTag("abc123")))
        .isInstanceOf(LayersNotFoundException.class)
        .hasMessageContaining(EcrEmulator.sha256(LAYER));
  }

  @Test
  void putImage_givenDigestOfOtherBytes_isImageDigestDoesNotMatch() {
    ecr.createRepository(REPO, ImageTagMutability.IMMUTABLE);
    pushBlobs();

    assertThatThrownBy(
            () ->
                ecr.putImage(
                    r ->
                        r.repositoryName(REPO)
                            .imageManifest(manifest("a"))
                            .imageDigest(DIGEST)
                            .imageTag("abc123")))
        .isInstanceOf(ImageDigestDoesNotMatchException.class);
  }

  @Test
  void completeLayerUpload_bytesOfAnotherDigest_isInvalidLayer() {
    ecr.createRepository(REPO);
    String id = ecr.initiateLayerUpload(r -> r.repositoryName(REPO)).uploadId();
    ecr.uploadLayerPart(
        r ->
            r.repositoryName(REPO)
                .uploadId(id)
                .partFirstByte(0L)
                .partLastByte(LAYER.length - 1L)
                .layerPartBlob(SdkBytes.fromByteArray(LAYER)));

    assertThatThrownBy(
            () ->
                ecr.completeLayerUpload(
                    r -> r.repositoryName(REPO).uploadId(id).layerDigests(DIGEST)))
        .isInstanceOfSatisfying(
            InvalidLayerException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidLayerException"));
  }

  @Test
  void batchGetImage_unknownTag_isAnImageNotFoundFailure_notAnException() {
    ecr.createRepository(REPO);

    var got =
        ecr.batchGetImage(
            r ->
                r.repositoryName(REPO)
                    .imageIds(ImageIdentifier.builder().imageTag("nope").build()));

    assertThat(got.images()).isEmpty();
    assertThat(got.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND));
  }
}
