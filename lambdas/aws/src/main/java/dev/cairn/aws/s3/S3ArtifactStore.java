package dev.cairn.aws.s3;

import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.pipeline.ArtifactEvidence;
import dev.cairn.core.pipeline.EvidenceRefused;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads an artifact ({@code cdk.out} files and the signed manifest) to {@code
 * s3://<bucket>/{service}/{commit_sha}/}, and never overwrites:
 *
 * <ul>
 *   <li>each object is written with {@code If-None-Match: *}, so an existing key is refused by S3
 *       itself (412), not by a racy check first;
 *   <li>each object carries {@code x-amz-checksum-sha256}, computed locally, so S3 rejects a
 *       corrupted upload;
 *   <li>{@code ExpectedBucketOwner} is sent when configured, so a bucket that changed hands is
 *       refused;
 *   <li>the manifest goes last: its {@code ObjectCreated} event starts the pipeline, which then
 *       finds every file in place.
 * </ul>
 *
 * A key that already exists with identical bytes (a retried, interrupted upload) is accepted; with
 * different bytes it is refused with {@link ArtifactConflictException}.
 */
public final class S3ArtifactStore implements dev.cairn.core.pipeline.port.ArtifactStore {

  private final S3Client s3;
  private final String expectedBucketOwner;

  /**
   * @param expectedBucketOwner the bucket owner's account id, or null to not send it (local S3)
   */
  public S3ArtifactStore(S3Client s3, String expectedBucketOwner) {
    this.s3 = s3;
    this.expectedBucketOwner = expectedBucketOwner;
  }

  /** What was uploaded. */
  public record Upload(
      String bucket, String prefix, int filesWritten, int filesAlreadyPresent, long bytes) {
    /** {@code s3://bucket/prefix} */
    public String url() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

  /**
   * Uploads every file of {@code cdkOut}, then {@code manifest} as {@code artifact-manifest.json}.
   */
  public Upload upload(String bucket, String service, String commitSha, Path cdkOut, Path manifest)
      throws IOException {
    String prefix = ArtifactLayout.prefix(service, commitSha);
    for (String reserved : ArtifactLayout.RESERVED_ROOT_NAMES) {
      if (Files.exists(cdkOut.resolve(reserved), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            "refusing to upload "
                + cdkOut
                + ": it contains "
                + reserved
                + ", a name reserved for Cairn");
      }
    }
    List<ArtifactSource.Entry> entries =
        new ArrayList<>(new LocalDirectoryArtifactSource(cdkOut).list());
    entries.sort(Comparator.comparing(ArtifactSource.Entry::path));
    int written = 0;
    int present = 0;
    long bytes = 0;
    for (ArtifactSource.Entry e : entries) {
      if (e.kind() != ArtifactSource.Kind.FILE) {
        throw new IOException(
            "refusing to upload " + e.path() + ": not a regular file (" + e.kind() + ")");
      }
      if (ArtifactLayout.isReserved(e.path())) {
        throw new IOException(
            "refusing to upload " + e.path() + ": the name is reserved for Cairn");
      }
      Path file = cdkOut.resolve(e.path());
      if (put(bucket, prefix + e.path(), file)) {
        written++;
      } else {
        present++;
      }
      bytes += Files.size(file);
    }
    if (put(bucket, prefix + ArtifactLayout.MANIFEST_FILE, manifest)) {
      written++;
    } else {
      present++;
    }
    bytes += Files.size(manifest);
    return new Upload(bucket, prefix, written, present, bytes);
  }

  /** True when {@code key} exists in {@code bucket}. */
  public boolean exists(String bucket, String key) {
    try {
      s3.headObject(r -> r.bucket(bucket).key(key).expectedBucketOwner(expectedBucketOwner));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Writes one object unless the key exists; returns false when identical bytes were already there.
   */
  private boolean put(String bucket, String key, Path file) throws IOException {
    Sha256.Digest digest;
    try (InputStream in = Files.newInputStream(file)) {
      digest = Sha256.hash(in);
    }
    String checksum = Base64.getEncoder().encodeToString(Sha256.fromHex(digest.hex()));
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .ifNoneMatch("*")
            .checksumSHA256(checksum)
            .expectedBucketOwner(expectedBucketOwner)
            .contentLength(digest.size())
            .build();
    try {
      s3.putObject(request, RequestBody.fromFile(file));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() != 412 && e.statusCode() != 409) {
        throw e;
      }
    }
    String existing;
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(r -> r.bucket(bucket).key(key).expectedBucketOwner(expectedBucketOwner))) {
      existing = Sha256.hash(in).hex();
    }
    if (!existing.equals(digest.hex())) {
      throw new ArtifactConflictException(
          "s3://"
              + bucket
              + "/"
              + key
              + " exists with different content (sha256 "
              + existing
              + ", local "
              + digest.hex()
              + "); published artifacts are never overwritten");
    }
    return false;
  }

  @Override
  public ArtifactSource source(String bucket, String service, String commitSha) {
    return new S3ArtifactSource(s3, bucket, service, commitSha, expectedBucketOwner);
  }

  @Override
  public ArtifactSource source(ArtifactEvidence evidence, String service, String commitSha) {
    if (!evidence.pinned()) {
      return source(evidence.bucket(), service, commitSha);
    }
    return S3ArtifactSource.pinned(
        s3, evidence.bucket(), service, commitSha, expectedBucketOwner, evidence.objectVersions());
  }

  @Override
  public java.util.Optional<byte[]> readManifest(
      String bucket, String service, String commitSha, int maxBytes) throws IOException {
    return readManifestObject(bucket, service, commitSha, maxBytes).map(StoredObject::bytes);
  }

  @Override
  public java.util.Optional<StoredObject> readManifestObject(
      String bucket, String service, String commitSha, int maxBytes) throws IOException {
    String key = ArtifactLayout.prefix(service, commitSha) + ArtifactLayout.MANIFEST_FILE;
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(r -> r.bucket(bucket).key(key).expectedBucketOwner(expectedBucketOwner))) {
      // Bounded: a hostile 100 MB manifest is read only to the limit (+1 byte to detect it).
      return java.util.Optional.of(
          new StoredObject(in.readNBytes(maxBytes + 1), in.response().versionId()));
    } catch (NoSuchKeyException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Conditional like every write into the artifact buckets (their policies refuse any other): an
   * existing object under the same content-derived name is the same evidence, written by an earlier
   * attempt.
   */
  @Override
  public String putEvidence(
      String bucket, String service, String commitSha, String name, byte[] json) {
    String key =
        ArtifactLayout.prefix(service, commitSha) + ArtifactLayout.EVIDENCE_DIR + "/" + name;
    try {
      s3.putObject(
          r ->
              r.bucket(bucket)
                  .key(key)
                  .ifNoneMatch("*")
                  .contentType("application/json")
                  .expectedBucketOwner(expectedBucketOwner),
          RequestBody.fromBytes(json));
    } catch (S3Exception e) {
      if (e.statusCode() != 412 && e.statusCode() != 409) {
        throw e;
      }
    }
    return key;
  }

  /**
   * Reads each version the evidence names from its bucket and writes the bytes with {@code
   * If-None-Match: *} and their SHA-256 checksum (S3 refuses a body that does not match), files
   * sorted, the manifest last (its ObjectCreated event starts the next environment). Not {@code
   * CopyObject}: the release bucket's policy refuses writes without {@code If-None-Match}, and S3
   * does not implement that header on copies.
   */
  @Override
  public void releaseArtifact(
      ArtifactEvidence evidence, String toBucket, String service, String commitSha)
      throws IOException {
    String prefix = ArtifactLayout.prefix(service, commitSha);
    Map<String, String> files = new TreeMap<>();
    if (evidence.pinned()) {
      files.putAll(evidence.objectVersions());
    } else {
      for (ArtifactSource.Entry e : source(evidence.bucket(), service, commitSha).list()) {
        files.put(e.path(), null);
      }
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      releaseOne(evidence.bucket(), toBucket, prefix + f.getKey(), f.getValue());
    }
    releaseOne(
        evidence.bucket(),
        toBucket,
        prefix + ArtifactLayout.MANIFEST_FILE,
        evidence.manifestVersionId());
  }

  private void releaseOne(String fromBucket, String toBucket, String key, String versionId)
      throws IOException {
    Sha256.Digest digest;
    try (ResponseInputStream<GetObjectResponse> in = readVersion(fromBucket, key, versionId)) {
      digest = Sha256.hash(in);
    }
    String checksum = Base64.getEncoder().encodeToString(Sha256.fromHex(digest.hex()));
    try (ResponseInputStream<GetObjectResponse> in = readVersion(fromBucket, key, versionId)) {
      s3.putObject(
          PutObjectRequest.builder()
              .bucket(toBucket)
              .key(key)
              .ifNoneMatch("*")
              .checksumSHA256(checksum)
              .expectedBucketOwner(expectedBucketOwner)
              .contentLength(digest.size())
              .build(),
          RequestBody.fromInputStream(in, digest.size()));
      return;
    } catch (S3Exception e) {
      if (e.statusCode() != 412 && e.statusCode() != 409) {
        throw e;
      }
    }
    String existing;
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(r -> r.bucket(toBucket).key(key).expectedBucketOwner(expectedBucketOwner))) {
      existing = Sha256.hash(in).hex();
    }
    if (!existing.equals(digest.hex())) {
      throw new EvidenceRefused(
          EvidenceFailure.RELEASE_OBJECT_CONFLICT,
          "s3://"
              + toBucket
              + "/"
              + key
              + " exists with other content (sha256 "
              + existing
              + ", verified "
              + digest.hex()
              + "); release artifacts are never overwritten");
    }
  }

  private ResponseInputStream<GetObjectResponse> readVersion(
      String bucket, String key, String versionId) {
    return s3.getObject(
        r ->
            r.bucket(bucket)
                .key(key)
                .versionId(versionId)
                .expectedBucketOwner(expectedBucketOwner));
  }

  /** An object exists under the artifact's key with other content. */
  public static final class ArtifactConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArtifactConflictException(String message) {
      super(message);
    }
  }
}
