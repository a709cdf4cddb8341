package dev.cairn.aws.s3;

import dev.cairn.core.context.ContextBlessException;
import dev.cairn.core.context.port.BlessedContextStore;
import java.util.Arrays;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The contexts bucket (versioned). Dated objects are written with {@code If-None-Match: *}, so a
 * blessed context can never be replaced in place (an identical rewrite, e.g. an SDK retry whose
 * first attempt landed, is accepted); the bucket's default KMS encryption applies. A context is
 * read at the exact version a manifest names ({@code GetObject versionId}).
 */
public final class S3BlessedContextStore implements BlessedContextStore {

  private final S3Client s3;
  private final String bucket;

  public S3BlessedContextStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public String putNew(String key, byte[] body) {
    // Refuse early with a clear message when the object exists; the conditional PUT below is what
    // makes it safe against a concurrent writer.
    Optional<Current> current = current(key);
    if (current.isPresent()) {
      if (Arrays.equals(current.get().bytes(), body)) {
        return current.get().versionId();
      }
      throw alreadyBlessed(key);
    }
    try {
      return s3.putObject(
              PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*").build(),
              RequestBody.fromBytes(body))
          .versionId();
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        // A retried PUT whose first attempt landed sees its own object: identical bytes are fine.
        Optional<Current> landed = current(key);
        if (landed.isPresent() && Arrays.equals(landed.get().bytes(), body)) {
          return landed.get().versionId();
        }
        throw alreadyBlessed(key);
      }
      throw e;
    }
  }

  private ContextBlessException alreadyBlessed(String key) {
    return new ContextBlessException(
        ContextBlessException.Reason.ALREADY_BLESSED,
        "s3://" + bucket + "/" + key + " already exists; blessed contexts are immutable");
  }

  @Override
  public void put(String key, byte[] body) {
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(body));
  }

  @Override
  public Optional<byte[]> get(String key) {
    return current(key).map(Current::bytes);
  }

  @Override
  public Optional<byte[]> get(String key, String versionId) {
    return read(GetObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build())
        .map(Current::bytes);
  }

  private Optional<Current> current(String key) {
    return read(GetObjectRequest.builder().bucket(bucket).key(key).build());
  }

  private record Current(byte[] bytes, String versionId) {}

  private Optional<Current> read(GetObjectRequest request) {
    try {
      var response = s3.getObjectAsBytes(request);
      return Optional.of(new Current(response.asByteArray(), response.response().versionId()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      // A version id that names no version of the key: 404 NoSuchVersion, or 400 when it is not
      // even a well-formed version id.
      if (e.statusCode() == 404
          || (request.versionId() != null
              && e.statusCode() == 400
              && "InvalidArgument".equals(errorCode(e)))) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  public String bucket() {
    return bucket;
  }
}
