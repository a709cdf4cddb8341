package dev.cairn.core.pipeline.port;

import dev.cairn.core.pipeline.EnvironmentPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Port: where {@code cdk-assets publish} put an artifact's assets in a target environment (the CDK
 * bootstrap bucket and repository), read through the environment's read-only role. Adapter: {@code
 * S3EcrAssetDestinations}.
 */
public interface AssetDestinations {

  /** The object's bytes, or empty when it does not exist. The caller closes the stream. */
  Optional<InputStream> openObject(EnvironmentPolicy environment, String bucket, String key)
      throws IOException;

  /**
   * The digest ({@code sha256:...}) of {@code repository:tag}, or empty when no such image exists.
   */
  Optional<String> imageDigest(EnvironmentPolicy environment, String repository, String tag);
}
