package dev.cairn.aws.s3;

import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.port.ArtifactSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ArtifactSource} over {@code s3://<bucket>/{service}/{commit_sha}/}: lists the prefix (page
 * by page) and opens each object as a stream straight from S3, so the verifier hashes while reading
 * and nothing touches the disk. The manifest and {@code cairn-evidence/} are not artifact content
 * and are left out of {@link #list()}; {@link #manifest()} reads the manifest.
 *
 * <p>Each object opened reports its {@code VersionId} ({@link #versionsRead()}). A pinned source
 * ({@link #pinned}) lists exactly the paths of an execution's evidence and opens each at its
 * recorded version, so what a later writer put under the same key is never read.
 */
public final class S3ArtifactSource implements ArtifactSource {

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String expectedBucketOwner;
  private final Map<String, String> pinned;
  private final Map<String, String> versionsRead = new ConcurrentHashMap<>();

  public S3ArtifactSource(
      S3Client s3, String bucket, String service, String commitSha, String expectedBucketOwner) {
    this(s3, bucket, service, commitSha, expectedBucketOwner, null);
  }

  private S3ArtifactSource(
      S3Client s3,
      String bucket,
      String service,
      String commitSha,
      String expectedBucketOwner,
      Map<String, String> pinned) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = ArtifactLayout.prefix(service, commitSha);
    this.expectedBucketOwner = expectedBucketOwner;
    this.pinned = pinned == null ? null : new TreeMap<>(pinned);
  }

  /** The files of {@code versions} (path to VersionId), each read at that version only. */
  public static S3ArtifactSource pinned(
      S3Client s3,
      String bucket,
      String service,
      String commitSha,
      String expectedBucketOwner,
      Map<String, String> versions) {
    return new S3ArtifactSource(s3, bucket, service, commitSha, expectedBucketOwner, versions);
  }

  @Override
  public List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    list(out::add);
    return out;
  }

  /** Hands each entry on as its ListObjectsV2 page arrives: hashing starts after the first page. */
  @Override
  public void list(Consumer<Entry> sink) {
    if (pinned != null) {
      pinned.keySet().forEach(path -> sink.accept(Entry.file(path, -1)));
      return;
    }
    for (S3Object o :
        s3.listObjectsV2Paginator(
                r -> r.bucket(bucket).prefix(prefix).expectedBucketOwner(expectedBucketOwner))
            .contents()) {
      String path = o.key().substring(prefix.length());
      if (path.isEmpty() || ArtifactLayout.isReserved(path)) {
        continue;
      }
      sink.accept(path.endsWith("/") ? new Entry(path, Kind.OTHER, 0) : Entry.file(path, o.size()));
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    String version = pinned == null ? null : pinned.get(path);
    if (pinned != null && version == null) {
      throw new java.nio.file.NoSuchFileException(describe() + path + " (not in the evidence)");
    }
    try {
      ResponseInputStream<GetObjectResponse> in =
          s3.getObject(
              r ->
                  r.bucket(bucket)
                      .key(prefix + path)
                      .versionId(version)
                      .expectedBucketOwner(expectedBucketOwner));
      if (in.response().versionId() != null) {
        versionsRead.put(path, in.response().versionId());
      }
      return in;
    } catch (NoSuchKeyException e) {
      throw new java.nio.file.NoSuchFileException(describe() + path);
    }
  }

  @Override
  public Map<String, String> versionsRead() {
    return Map.copyOf(versionsRead);
  }

  /** The manifest's bytes, or null when there is none (the verifier reports MANIFEST_MISSING). */
  public byte[] manifest() {
    try {
      ResponseBytes<GetObjectResponse> bytes =
          s3.getObjectAsBytes(
              r ->
                  r.bucket(bucket)
                      .key(prefix + ArtifactLayout.MANIFEST_FILE)
                      .expectedBucketOwner(expectedBucketOwner));
      return bytes.asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + "/" + prefix;
  }
}
