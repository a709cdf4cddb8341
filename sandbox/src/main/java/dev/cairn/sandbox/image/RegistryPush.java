package dev.cairn.sandbox.image;

import dev.cairn.local.emulators.EcrEmulator;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.Layer;

/**
 * Pushes an image to one ECR repository the way {@code cdk-assets} and {@code docker push} do, with
 * the ECR API calls their IAM actions name: {@code DescribeImages} for the tag first when
 * publishing ({@code cdk-assets} publishes nothing when the tag exists), then {@code
 * BatchCheckLayerAvailability}, {@code InitiateLayerUpload} / {@code UploadLayerPart} / {@code
 * CompleteLayerUpload} for each blob the repository lacks, and {@code PutImage} with the manifest
 * and the tag.
 */
public final class RegistryPush {

  private RegistryPush() {}

  /**
   * The outcome of one push.
   *
   * @param pushed false when the tag was already there and nothing was pushed
   * @param tagDigest the digest the tag names once the push is over
   */
  public record Outcome(boolean pushed, String tagDigest) {}

  /** As {@code cdk-assets} publishes: nothing when the tag exists, else {@link #push}. */
  public static Outcome publish(
      EcrClient ecr, String registryId, String repository, String tag, ContextImage image) {
    Optional<String> existing = tagged(ecr, registryId, repository, tag);
    if (existing.isPresent()) {
      return new Outcome(false, existing.get());
    }
    return new Outcome(true, push(ecr, registryId, repository, tag, image));
  }

  /**
   * As {@code docker push}: the blobs the repository lacks, then {@code PutImage}, without looking
   * at the tag first (ECR answers for it).
   *
   * @return the digest ECR computed for the image
   */
  public static String push(
      EcrClient ecr, String registryId, String repository, String tag, ContextImage image) {
    Set<String> available = new HashSet<>();
    var check =
        ecr.batchCheckLayerAvailability(
            r ->
                r.registryId(registryId)
                    .repositoryName(repository)
                    .layerDigests(image.blobs().stream().map(EcrEmulator::sha256).toList()));
    for (Layer l : check.layers()) {
      available.add(l.layerDigest());
    }
    for (byte[] blob : image.blobs()) {
      String digest = EcrEmulator.sha256(blob);
      if (available.contains(digest)) {
        continue;
      }
      String upload =
          ecr.initiateLayerUpload(r -> r.registryId(registryId).repositoryName(repository))
              .uploadId();
      ecr.uploadLayerPart(
          r ->
              r.registryId(registryId)
                  .repositoryName(repository)
                  .uploadId(upload)
                  .partFirstByte(0L)
                  .partLastByte(blob.length - 1L)
                  .layerPartBlob(SdkBytes.fromByteArray(blob)));
      ecr.completeLayerUpload(
          r ->
              r.registryId(registryId)
                  .repositoryName(repository)
                  .uploadId(upload)
                  .layerDigests(digest));
    }
    return ecr.putImage(
            r ->
                r.registryId(registryId)
                    .repositoryName(repository)
                    .imageTag(tag)
                    .imageManifestMediaType(ContextImage.MANIFEST_MEDIA_TYPE)
                    .imageManifest(new String(image.manifest(), StandardCharsets.UTF_8)))
        .image()
        .imageId()
        .imageDigest();
  }

  private static Optional<String> tagged(
      EcrClient ecr, String registryId, String repository, String tag) {
    try {
      return ecr
          .describeImages(
              r ->
                  r.registryId(registryId)
                      .repositoryName(repository)
                      .imageIds(i -> i.imageTag(tag)))
          .imageDetails()
          .stream()
          .findFirst()
          .map(d -> d.imageDigest());
    } catch (ImageNotFoundException e) {
      return Optional.empty();
    }
  }
}
