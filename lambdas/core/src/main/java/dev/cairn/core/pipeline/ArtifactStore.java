package dev.cairn.core.pipeline;

import dev.cairn.core.integrity.ArtifactSource;
import java.io.IOException;
import java.util.Optional;

/**
 * Port: artifacts in the candidate and release buckets, laid out as {@code
 * s3://<bucket>/{service}/{commit_sha}/} with {@code artifact-manifest.json} beside the cdk.out
 * files. Adapter: {@code S3ArtifactStore}.
 */
public interface ArtifactStore {

  /** The artifact's files, streamed; nothing is written to disk. */
  ArtifactSource source(String bucket, String service, String commitSha);

  /** The manifest's bytes (at most {@code maxBytes}+1 are read), or empty when absent. */
  Optional<byte[]> readManifest(String bucket, String service, String commitSha, int maxBytes)
      throws IOException;

  /**
   * Stores release evidence under {@code {service}/{commit_sha}/cairn-evidence/{name}}; returns the
   * key.
   */
  String putEvidence(String bucket, String service, String commitSha, String name, byte[] json)
      throws IOException;

  /**
   * Copies an artifact (files and manifest) between buckets. Idempotent: an object that already
   * exists in the target with the same bytes is kept; one with other bytes is an error.
   */
  void copyArtifact(String fromBucket, String toBucket, String service, String commitSha)
      throws IOException;
}
