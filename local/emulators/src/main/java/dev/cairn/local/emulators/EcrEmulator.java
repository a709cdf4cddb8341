package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityRequest;
import software.amazon.awssdk.services.ecr.model.BatchCheckLayerAvailabilityResponse;
import software.amazon.awssdk.services.ecr.model.BatchGetImageRequest;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.CompleteLayerUploadRequest;
import software.amazon.awssdk.services.ecr.model.CompleteLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.EmptyUploadException;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadRequest;
import software.amazon.awssdk.services.ecr.model.InitiateLayerUploadResponse;
import software.amazon.awssdk.services.ecr.model.InvalidLayerException;
import software.amazon.awssdk.services.ecr.model.InvalidLayerPartException;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.Layer;
import software.amazon.awssdk.services.ecr.model.LayerAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.LayerFailure;
import software.amazon.awssdk.services.ecr.model.LayerFailureCode;
import software.amazon.awssdk.services.ecr.model.LayersNotFoundException;
import software.amazon.awssdk.services.ecr.model.PutImageRequest;
import software.amazon.awssdk.services.ecr.model.PutImageResponse;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.UploadLayerPartRequest;
import software.amazon.awssdk.services.ecr.model.UploadLayerPartResponse;
import software.amazon.awssdk.services.ecr.model.UploadNotFoundException;

/**
 * One account's ECR registry, as the push path of {@code docker push} / {@code cdk-assets} and the
 * read path of the asset check (gate 8), Lambda and {@link CloudFormationEmulator#imageRegistry}
 * use it: layer upload ({@code BatchCheckLayerAvailability}, {@code InitiateLayerUpload}, {@code
 * UploadLayerPart}, {@code CompleteLayerUpload}), {@code PutImage}, {@code BatchGetImage} and
 * {@code DescribeImages}. Each behaviour follows the ECR API reference:
 *
 * <ul>
 *   <li>an image's digest is the SHA-256 of its manifest bytes; a layer's is the SHA-256 of its
 *       bytes, checked when its upload completes ({@code InvalidLayerException});
 *   <li>{@code PutImage} refuses a manifest whose layers or config were not uploaded ({@code
 *       LayersNotFoundException}), a repeat of the same manifest and tag ({@code
 *       ImageAlreadyExistsException}) and, in a repository with {@code IMMUTABLE} tags, a tag that
 *       already names another image ({@code ImageTagAlreadyExistsException}); in a {@code MUTABLE}
 *       repository the tag moves;
 *   <li>an unknown repository, or one asked of another registry, is {@code
 *       RepositoryNotFoundException}; an unknown image is {@code ImageNotFoundException} in {@code
 *       DescribeImages} and an {@code ImageNotFound} failure in {@code BatchGetImage}.
 * </ul>
 *
 * <p>{@link #putImage(String, String, String...)} is a test seam: it places an image known only by
 * its digest, for tests that need a registry's answer but no image bytes.
 */
public final class EcrEmulator implements EcrClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The media type of an image pushed without one and without {@code mediaType}. */
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  private final String registryId;
  private final Clock clock;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final Map<String, Repository> repositories = new LinkedHashMap<>();
  private final Map<String, Upload> uploads = new LinkedHashMap<>();

  /** One repository: its tag mutability, its blobs by digest and its images by digest. */
  private static final class Repository {
    final ImageTagMutability mutability;
    final Map<String, byte[]> blobs = new LinkedHashMap<>();
    final Map<String, StoredImage> images = new LinkedHashMap<>();

    Repository(ImageTagMutability mutability) {
      this.mutability = mutability;
    }

    StoredImage tagged(String tag) {
      for (StoredImage i : images.values()) {
        if (i.tags.contains(tag)) {
          return i;
        }
      }
      return null;
    }
  }

  /** An image: its manifest (null when placed by {@link #putImage(String, String, String...)}). */
  private static final class StoredImage {
    final String digest;
    final byte[] manifest;
    final String mediaType;
    final long size;
    final Set<String> tags = new LinkedHashSet<>();
    java.time.Instant pushedAt;

    StoredImage(String digest, byte[] manifest, String mediaType, long size) {
      this.digest = digest;
      this.manifest = manifest;
      this.mediaType = mediaType;
      this.size = size;
    }
  }

  /** A layer upload in progress: its repository and the bytes received so far. */
  private record Upload(String repository, ByteArrayOutputStream bytes) {}

  public EcrEmulator(String registryId, Clock clock) {
    this.registryId = registryId;
    this.clock = clock;
  }

  /** Creates a repository with mutable tags, ECR's default ({@code CreateRepository}). */
  public synchronized void createRepository(String name) {
    createRepository(name, ImageTagMutability.MUTABLE);
  }

  /** Creates a repository (if there is none of that name) with the given tag mutability. */
  public synchronized void createRepository(String name, ImageTagMutability mutability) {
    repositories.computeIfAbsent(name, k -> new Repository(mutability));
  }

  /**
   * Test seam: places {@code digest} ({@code sha256:<hex>}) in {@code repository} with {@code
   * tags}, moving them as a mutable repository does. No manifest bytes are stored.
   */
  public synchronized void putImage(String repository, String digest, String... tags) {
    Repository repo =
        repositories.computeIfAbsent(repository, k -> new Repository(ImageTagMutability.MUTABLE));
    StoredImage image =
        repo.images.computeIfAbsent(digest, d -> new StoredImage(d, null, DOCKER_MANIFEST, 0));
    for (String tag : tags) {
      repo.images.values().forEach(i -> i.tags.remove(tag));
      image.tags.add(tag);
    }
    image.pushedAt = clock.instant();
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

  // --- Layers ------------------------------------------------------------------------------------

  @Override
  public synchronized BatchCheckLayerAvailabilityResponse batchCheckLayerAvailability(
      BatchCheckLayerAvailabilityRequest request) {
    calls.record("BatchCheckLayerAvailability", request);
    Repository repo = repository(request.registryId(), request.repositoryName());
    List<Layer> layers = new ArrayList<>();
    List<LayerFailure> failures = new ArrayList<>();
    for (String digest : request.layerDigests()) {
      byte[] blob = repo.blobs.get(digest);
      if (!isDigest(digest)) {
        failures.add(
            LayerFailure.builder()
                .layerDigest(digest)
                .failureCode(LayerFailureCode.INVALID_LAYER_DIGEST)
                .failureReason("Invalid layer digest")
                .build());
      } else if (blob == null) {
        failures.add(
            LayerFailure.builder()
                .layerDigest(digest)
                .failureCode(LayerFailureCode.MISSING_LAYER_DIGEST)
                .failureReason("Could not find layer")
                .build());
      } else {
        layers.add(
            Layer.builder()
                .layerDigest(digest)
                .layerAvailability(LayerAvailability.AVAILABLE)
                .layerSize((long) blob.length)
                .build());
      }
    }
    return BatchCheckLayerAvailabilityResponse.builder().layers(layers).failures(failures).build();
  }

  @Override
  public synchronized InitiateLayerUploadResponse initiateLayerUpload(
      InitiateLayerUploadRequest request) {
    calls.record("InitiateLayerUpload", request);
    repository(request.registryId(), request.repositoryName());
    String id =
        UUID.nameUUIDFromBytes((request.repositoryName() + uploads.size()).getBytes(UTF8))
            .toString();
    uploads.put(id, new Upload(request.repositoryName(), new ByteArrayOutputStream()));
    return InitiateLayerUploadResponse.builder().uploadId(id).partSize(20L * 1024 * 1024).build();
  }

  @Override
  public synchronized UploadLayerPartResponse uploadLayerPart(UploadLayerPartRequest request) {
    calls.record("UploadLayerPart", request);
    repository(request.registryId(), request.repositoryName());
    Upload upload = upload(request.uploadId(), request.repositoryName());
    // "The last byte received was N; the next part must start at N + 1": parts are contiguous.
    byte[] part = request.layerPartBlob().asByteArray();
    if (request.partFirstByte() == null
        || request.partFirstByte() != upload.bytes().size()
        || request.partLastByte() == null
        || request.partLastByte() != upload.bytes().size() + part.length - 1L) {
      throw error(
          InvalidLayerPartException.builder(),
          "InvalidLayerPartException",
          "The layer part is not contiguous with the upload's last byte "
              + (upload.bytes().size() - 1));
    }
    upload.bytes().writeBytes(part);
    return UploadLayerPartResponse.builder()
        .registryId(registryId)
        .repositoryName(request.repositoryName())
        .uploadId(request.uploadId())
        .lastByteReceived(upload.bytes().size() - 1L)
        .build();
  }

  @Override
  public synchronized CompleteLayerUploadResponse completeLayerUpload(
      CompleteLayerUploadRequest request) {
    calls.record("CompleteLayerUpload", request);
    Repository repo = repository(request.registryId(), request.repositoryName());
    Upload upload = upload(request.uploadId(), request.repositoryName());
    byte[] bytes = upload.bytes().toByteArray();
    if (bytes.length == 0) {
      throw error(
          EmptyUploadException.builder(),
          "EmptyUploadException",
          "The specified layer upload does not contain any layer parts.");
    }
    String actual = sha256(bytes);
    if (request.layerDigests().size() != 1 || !request.layerDigests().get(0).equals(actual)) {
      throw error(
          InvalidLayerException.builder(),
          "InvalidLayerException",
          "The layer digest calculation performed by Amazon ECR upon receipt of the image layer"
              + " does not match the digest specified ("
              + actual
              + ").");
    }
    uploads.remove(request.uploadId());
    if (repo.blobs.containsKey(actual)) {
      throw error(
          LayerAlreadyExistsException.builder(),
          "LayerAlreadyExistsException",
          "The image layer already exists in the associated repository.");
    }
    repo.blobs.put(actual, bytes);
    return CompleteLayerUploadResponse.builder()
        .registryId(registryId)
        .repositoryName(request.repositoryName())
        .uploadId(request.uploadId())
        .layerDigest(actual)
        .build();
  }

  // --- Images ------------------------------------------------------------------------------------

  @Override
  public synchronized PutImageResponse putImage(PutImageRequest request) {
    calls.record("PutImage", request);
    Repository repo = repository(request.registryId(), request.repositoryName());
    byte[] manifest = request.imageManifest().getBytes(StandardCharsets.UTF_8);
    String digest = sha256(manifest);
    if (request.imageDigest() != null && !request.imageDigest().equals(digest)) {
      throw error(
          ImageDigestDoesNotMatchException.builder(),
          "ImageDigestDoesNotMatchException",
          "The specified image digest "
              + request.imageDigest()
              + " does not match the digest that Amazon ECR calculated for the image ("
              + digest
              + ").");
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(manifest);
    } catch (java.io.IOException e) {
      throw error(
          InvalidParameterException.builder(),
          "InvalidParameterException",
          "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Invalid JSON'");
    }
    List<String> missing = new ArrayList<>();
    List<String> referenced = new ArrayList<>();
    referenced.add(parsed.at("/config/digest").asText(""));
    parsed.path("layers").forEach(l -> referenced.add(l.path("digest").asText("")));
    long size = manifest.length;
    for (String d : referenced) {
      byte[] blob = repo.blobs.get(d);
      if (blob == null) {
        missing.add(d);
      } else {
        size += blob.length;
      }
    }
    if (!missing.isEmpty()) {
      throw error(
          LayersNotFoundException.builder(),
          "LayersNotFoundException",
          "Layers with digests " + missing + " required for pushing image into repository");
    }
    String tag = request.imageTag();
    StoredImage existing = repo.images.get(digest);
    if (existing != null && (tag == null || existing.tags.contains(tag))) {
      throw error(
          ImageAlreadyExistsException.builder(),
          "ImageAlreadyExistsException",
          "Image with digest '"
              + digest
              + "' and tag '"
              + tag
              + "' already exists in the repository with name '"
              + request.repositoryName()
              + "' in registry with id '"
              + registryId
              + "'");
    }
    StoredImage holder = tag == null ? null : repo.tagged(tag);
    if (holder != null && repo.mutability == ImageTagMutability.IMMUTABLE) {
      throw error(
          ImageTagAlreadyExistsException.builder(),
          "ImageTagAlreadyExistsException",
          "The image tag '"
              + tag
              + "' already exists in the '"
              + request.repositoryName()
              + "' repository and cannot be overwritten because the repository is immutable.");
    }
    if (holder != null) {
      holder.tags.remove(tag);
    }
    String mediaType =
        request.imageManifestMediaType() != null
            ? request.imageManifestMediaType()
            : parsed.path("mediaType").asText(DOCKER_MANIFEST);
    StoredImage image =
        repo.images.computeIfAbsent(digest, d -> new StoredImage(d, manifest, mediaType, 0));
    StoredImage sized =
        image.manifest == null ? image : new StoredImage(digest, manifest, mediaType, size);
    sized.tags.addAll(image.tags);
    if (tag != null) {
      sized.tags.add(tag);
    }
    sized.pushedAt = clock.instant();
    repo.images.put(digest, sized);
    return PutImageResponse.builder().image(image(request.repositoryName(), sized, tag)).build();
  }

  @Override
  public synchronized BatchGetImageResponse batchGetImage(BatchGetImageRequest request) {
    calls.record("BatchGetImage", request);
    Repository repo = repository(request.registryId(), request.repositoryName());
    List<Image> images = new ArrayList<>();
    List<ImageFailure> failures = new ArrayList<>();
    for (ImageIdentifier id : request.imageIds()) {
      StoredImage found = find(repo, id);
      if (found == null || found.manifest == null) {
        failures.add(
            ImageFailure.builder()
                .imageId(id)
                .failureCode(ImageFailureCode.IMAGE_NOT_FOUND)
                .failureReason("Requested image not found")
                .build());
      } else {
        images.add(image(request.repositoryName(), found, id.imageTag()));
      }
    }
    return BatchGetImageResponse.builder().images(images).failures(failures).build();
  }

  @Override
  public synchronized DescribeImagesResponse describeImages(DescribeImagesRequest request) {
    calls.record("DescribeImages", request);
    Repository repo = repository(request.registryId(), request.repositoryName());
    if (!request.hasImageIds() || request.imageIds().isEmpty()) {
      return DescribeImagesResponse.builder()
          .imageDetails(
              repo.images.values().stream().map(i -> detail(request.repositoryName(), i)).toList())
          .build();
    }
    List<ImageDetail> out = new ArrayList<>();
    for (ImageIdentifier id : request.imageIds()) {
      StoredImage found = find(repo, id);
      if (found == null) {
        throw error(
            ImageNotFoundException.builder(),
            "ImageNotFoundException",
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
      out.add(detail(request.repositoryName(), found));
    }
    return DescribeImagesResponse.builder().imageDetails(out).build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  // --- Helpers -----------------------------------------------------------------------------------

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /**
   * The repository named in a request. "RegistryId: ... If you do not specify a registry, the
   * default registry is assumed." (API reference): this is one account's registry, so another
   * account's repositories are not found here.
   */
  private Repository repository(String requestedRegistry, String name) {
    String registry = requestedRegistry == null ? registryId : requestedRegistry;
    Repository repo = registry.equals(registryId) ? repositories.get(name) : null;
    if (repo == null) {
      throw error(
          RepositoryNotFoundException.builder(),
          "RepositoryNotFoundException",
          "The repository with name '"
              + name
              + "' does not exist in the registry with id '"
              + registry
              + "'");
    }
    return repo;
  }

  private Upload upload(String uploadId, String repository) {
    Upload u = uploads.get(uploadId);
    if (u == null || !u.repository().equals(repository)) {
      throw error(
          UploadNotFoundException.builder(),
          "UploadNotFoundException",
          "The upload with id '" + uploadId + "' could not be found.");
    }
    return u;
  }

  private static StoredImage find(Repository repo, ImageIdentifier id) {
    for (StoredImage i : repo.images.values()) {
      boolean digestOk = id.imageDigest() == null || id.imageDigest().equals(i.digest);
      boolean tagOk = id.imageTag() == null || i.tags.contains(id.imageTag());
      if (digestOk && tagOk && (id.imageDigest() != null || id.imageTag() != null)) {
        return i;
      }
    }
    return null;
  }

  private Image image(String repository, StoredImage i, String tag) {
    return Image.builder()
        .registryId(registryId)
        .repositoryName(repository)
        .imageId(ImageIdentifier.builder().imageDigest(i.digest).imageTag(tag).build())
        .imageManifest(i.manifest == null ? null : new String(i.manifest, UTF8))
        .imageManifestMediaType(i.mediaType)
        .build();
  }

  private ImageDetail detail(String repository, StoredImage i) {
    return ImageDetail.builder()
        .registryId(registryId)
        .repositoryName(repository)
        .imageDigest(i.digest)
        .imageTags(List.copyOf(i.tags))
        .imagePushedAt(i.pushedAt)
        .imageSizeInBytes(i.size)
        .imageManifestMediaType(i.mediaType)
        .build();
  }

  private static boolean isDigest(String d) {
    return d != null && d.matches("sha256:[0-9a-f]{64}");
  }

  /** {@code sha256:<hex>} of {@code bytes}: how ECR and the OCI spec name content. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T extends AwsServiceException> T error(
      AwsServiceException.Builder builder, String code, String message) {
    return AwsErrors.error(builder, "Ecr", code, 400, message);
  }
}
