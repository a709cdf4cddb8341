package dev.cairn.testing.fake;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * An honest ECR {@code DescribeImages} of one account's registry, for the asset check (gate 8) and
 * for {@link FakeCloudFormationClient#imageRegistry}: images are pushed by tests ({@link
 * #putImage}); an unknown repository (or one asked of another registry) gives {@code
 * RepositoryNotFoundException}, an unknown image id {@code ImageNotFoundException} (both 400), as
 * the API does.
 */
public final class FakeEcrClient implements EcrClient {

  private final String registryId;
  private final Clock clock;
  private final FakeCalls calls = new FakeCalls();
  private final Map<String, Map<String, ImageDetail>> repositories = new LinkedHashMap<>();

  public FakeEcrClient(String registryId, Clock clock) {
    this.registryId = registryId;
    this.clock = clock;
  }

  public synchronized void createRepository(String name) {
    repositories.computeIfAbsent(name, k -> new LinkedHashMap<>());
  }

  /** Pushes {@code digest} ({@code sha256:<hex>}) to {@code repository} with {@code tags}. */
  public synchronized void putImage(String repository, String digest, String... tags) {
    Map<String, ImageDetail> images =
        repositories.computeIfAbsent(repository, k -> new LinkedHashMap<>());
    Set<String> allTags = new LinkedHashSet<>(List.of(tags));
    // A tag moves to the newly pushed image.
    for (Map.Entry<String, ImageDetail> e : images.entrySet()) {
      List<String> kept = new ArrayList<>(e.getValue().imageTags());
      if (kept.removeAll(allTags)) {
        e.setValue(e.getValue().toBuilder().imageTags(kept).build());
      }
    }
    ImageDetail old = images.get(digest);
    if (old != null) {
      allTags.addAll(old.imageTags());
    }
    images.put(
        digest,
        ImageDetail.builder()
            .registryId(registryId)
            .repositoryName(repository)
            .imageDigest(digest)
            .imageTags(List.copyOf(allTags))
            .imagePushedAt(clock.instant())
            .imageManifestMediaType("application/vnd.docker.distribution.manifest.v2+json")
            .build());
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(String operation, int times, Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public synchronized DescribeImagesResponse describeImages(DescribeImagesRequest request) {
    calls.record("DescribeImages", request);
    // "RegistryId: The AWS account ID associated with the registry that contains the repository
    // in which to describe images. If you do not specify a registry, the default registry is
    // assumed." (API reference, DescribeImages): this fake is one account's registry, so another
    // account's repositories are not found here.
    String registry = request.registryId() == null ? registryId : request.registryId();
    Map<String, ImageDetail> images =
        registry.equals(registryId) ? repositories.get(request.repositoryName()) : null;
    if (images == null) {
      throw AwsErrors.<RepositoryNotFoundException>error(
          RepositoryNotFoundException.builder(),
          "Ecr",
          "RepositoryNotFoundException",
          400,
          "The repository with name '"
              + request.repositoryName()
              + "' does not exist in the registry with id '"
              + registry
              + "'");
    }
    if (!request.hasImageIds() || request.imageIds().isEmpty()) {
      return DescribeImagesResponse.builder().imageDetails(images.values()).build();
    }
    List<ImageDetail> out = new ArrayList<>();
    for (ImageIdentifier id : request.imageIds()) {
      ImageDetail found = null;
      for (ImageDetail d : images.values()) {
        boolean digestOk = id.imageDigest() == null || id.imageDigest().equals(d.imageDigest());
        boolean tagOk = id.imageTag() == null || d.imageTags().contains(id.imageTag());
        if (digestOk && tagOk) {
          found = d;
          break;
        }
      }
      if (found == null) {
        throw AwsErrors.<ImageNotFoundException>error(
            ImageNotFoundException.builder(),
            "Ecr",
            "ImageNotFoundException",
            400,
            "The image with imageId {imageDigest:'"
                + id.imageDigest()
                + "', imageTag:'"
                + id.imageTag()
                + "'} does not exist within the repository with name '"
                + request.repositoryName()
                + "' in the registry with id '"
                + registryId
                + "'");
      }
      out.add(found);
    }
    return DescribeImagesResponse.builder().imageDetails(out).build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
