package dev.cairn.core.lifecycle;

/** The key of {@code cdk-artifact-metadata}: {@code {service, commit_sha}}. */
public record ArtifactKey(String service, String commitSha) {
  public ArtifactKey {
    if (service == null || service.isBlank() || commitSha == null || commitSha.isBlank()) {
      throw new IllegalArgumentException("service and commit_sha are required");
    }
  }

  @Override
  public String toString() {
    return service + "/" + commitSha;
  }
}
