package dev.cairn.core.pipeline.port;

import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.pipeline.ArtifactEvidence;
import java.io.IOException;
import java.util.Optional;

/**
 * Port: artifacts in the candidate and release buckets, laid out as {@code
 * s3://<bucket>/{service}/{commit_sha}/} with {@code artifact-manifest.json} beside the cdk.out
 * files. Adapter: {@code S3ArtifactStore}.
 */
public interface ArtifactStore {

  /**
   * The artifact's files as they are now, streamed; nothing is written to disk. The source reports
   * the version of each object it opened ({@link ArtifactSource#versionsRead()}).
   */
  ArtifactSource source(String bucket, String service, String commitSha);

  /**
   * Exactly the files an execution verified: lists the evidence's paths and opens each at its
   * recorded version, so a later write under the same key is not read. For evidence of an
   * unversioned bucket ({@link ArtifactEvidence#pinned()} false) it is {@link #source}, and the
   * caller must re-hash against the evidence's digest.
   */
  ArtifactSource source(ArtifactEvidence evidence, String service, String commitSha);

  /** The manifest's bytes (at most {@code maxBytes}+1 are read), or empty when absent. */
  Optional<byte[]> readManifest(String bucket, String service, String commitSha, int maxBytes)
      throws IOException;

  /**
   * The manifest's bytes (at most {@code maxBytes}+1) and the version read, or empty when absent.
   */
  Optional<StoredObject> readManifestObject(
      String bucket, String service, String commitSha, int maxBytes) throws IOException;

  /**
   * Stores release evidence under {@code {service}/{commit_sha}/cairn-evidence/{name}}; returns the
   * key. Never overwrites: the artifact buckets are write-once, so {@code name} must identify its
   * content (an existing object under it is taken as the same evidence).
   */
  String putEvidence(String bucket, String service, String commitSha, String name, byte[] json)
      throws IOException;

  /**
   * Writes exactly the versions {@code evidence} names (files, then the manifest last) into {@code
   * toBucket}, each as a conditional {@code PutObject} ({@code If-None-Match: *}): the release
   * bucket refuses every other write. Idempotent: an object already in the target with the same
   * bytes is kept; one with other bytes is {@link EvidenceFailure#RELEASE_OBJECT_CONFLICT}.
   */
  void releaseArtifact(ArtifactEvidence evidence, String toBucket, String service, String commitSha)
      throws IOException;

  /** An object's bytes and the store's version of them (null when the bucket is unversioned). */
  record StoredObject(byte[] bytes, String versionId) {}
}
