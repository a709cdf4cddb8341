package dev.cairn.cli.context;

import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The contexts bucket. Dated objects are written with {@code If-None-Match: *}, so a blessed
 * context can never be replaced in place (an identical rewrite, e.g. an SDK retry whose first
 * attempt landed, is accepted); the bucket's default KMS encryption applies.
 */
public final class S3BlessedContextStore implements BlessedContextStore {

  private final S3Client s3;
  private final String bucket;

  public S3BlessedContextStore(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public void putNew(String key, byte[] body) {
    // Refuse early with a clear message when the object exists; the conditional PUT below is what
    // makes it safe against a concurrent writer.
    Optional<byte[]> current = get(key);
    if (current.isPresent()) {
      if (java.util.Arrays.equals(current.get(), body)) {
        return;
      }
      throw alreadyBlessed(key);
    }
    try {
      s3.putObject(
          PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*").build(),
          RequestBody.fromBytes(body));
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        // A retried PUT whose first attempt landed sees its own object: identical bytes are fine.
        if (get(key).map(existing -> java.util.Arrays.equals(existing, body)).orElse(false)) {
          return;
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
    try {
      return Optional.of(
          s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
              .asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public String bucket() {
    return bucket;
  }
}
