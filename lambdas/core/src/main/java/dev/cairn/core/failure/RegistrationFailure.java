package dev.cairn.core.failure;

/**
 * Why a registration was refused. Stable names: the registrar Lambda returns them, the {@code
 * ArtifactRegistrationRefused} audit entry records them, {@code cairn publish} prints them.
 */
public enum RegistrationFailure {
  REGISTRATION_MALFORMED(
      "the request is not {\"service\": ..., \"commit_sha\": ...} with nothing else"),
  REGISTRATION_MANIFEST_MISSING("the candidate bucket has no artifact-manifest.json for the key"),
  REGISTRATION_MANIFEST_REJECTED(
      "the manifest fails structure, signature or commit provenance (the verifier's gates 1-3)"),
  REGISTRATION_CONFLICT(
      "the commit is already registered with a different manifest; a commit is published once");

  private final String summary;

  RegistrationFailure(String summary) {
    this.summary = summary;
  }

  public String summary() {
    return summary;
  }
}
