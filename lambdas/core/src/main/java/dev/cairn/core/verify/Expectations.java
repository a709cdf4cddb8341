package dev.cairn.core.verify;

import dev.cairn.core.integrity.Sha256;

/**
 * Values the artifact must match that come from outside the manifest: the ledger's {@code
 * artifact_sha256}, the blessed context (a pinned hash, or the check of the bless the manifest
 * names), and the service and commit the artifact was published under. A {@code null} field means
 * "not supplied"; the report says so per gate.
 */
public record Expectations(
    String service,
    String commit,
    String artifactSha256,
    String contextHash,
    BlessedContextCheck blessedContext) {

  /** With a pinned context hash (or none): what a local {@code manifest verify} checks. */
  public Expectations(String service, String commit, String artifactSha256, String contextHash) {
    this(service, commit, artifactSha256, contextHash, null);
  }

  public Expectations {
    if (artifactSha256 != null && !Sha256.isHex64(artifactSha256)) {
      throw new IllegalArgumentException("expected artifact_sha256 must be 64 lower-case hex");
    }
    if (contextHash != null && !Sha256.isHex64(contextHash)) {
      throw new IllegalArgumentException("expected context hash must be 64 lower-case hex");
    }
  }

  /** Nothing expected beyond the manifest and the trust policy. */
  public static Expectations none() {
    return new Expectations(null, null, null, null, null);
  }
}
