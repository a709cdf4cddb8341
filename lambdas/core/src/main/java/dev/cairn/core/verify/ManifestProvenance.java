package dev.cairn.core.verify;

import dev.cairn.core.failure.Failure;
import dev.cairn.core.manifest.ArtifactManifest;

/**
 * The outcome of gates 1 to 3 on a manifest alone ({@link ArtifactVerifier#verifyProvenance}):
 * either the parsed manifest, whose signature verified with a pinned key and whose commit
 * provenance holds, or the first failure.
 */
public record ManifestProvenance(ArtifactManifest manifest, Failure failure) {

  public ManifestProvenance {
    if ((manifest == null) == (failure == null)) {
      throw new IllegalArgumentException("exactly one of manifest and failure");
    }
  }

  static ManifestProvenance verified(ArtifactManifest manifest) {
    return new ManifestProvenance(manifest, null);
  }

  static ManifestProvenance rejected(Failure failure) {
    return new ManifestProvenance(null, failure);
  }

  public boolean verified() {
    return manifest != null;
  }
}
