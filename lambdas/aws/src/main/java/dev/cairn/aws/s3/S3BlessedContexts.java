package dev.cairn.aws.s3;

import dev.cairn.core.context.ContextLayout;
import dev.cairn.core.pipeline.BlessedContexts;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads {@code s3://<contexts>/{env}/latest.context.sha256} (see {@link ContextLayout}). */
public final class S3BlessedContexts implements BlessedContexts {

  private final S3Client s3;
  private final String bucket;

  public S3BlessedContexts(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  @Override
  public Optional<String> latestHash(String environment) {
    try {
      byte[] content =
          s3.getObjectAsBytes(r -> r.bucket(bucket).key(ContextLayout.latestHashKey(environment)))
              .asByteArray();
      return ContextLayout.parseHashFile(content);
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }
}
