package dev.cairn.core.pipeline;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.util.regex.Pattern;

/**
 * The fields every deployer action carries (docs/pipeline-contract.md): the artifact, the
 * environment and the execution acting on them, validated on construction so a malformed event is
 * refused before anything is touched.
 */
public record PipelineRequest(
    String service, String commitSha, String environment, String executionId) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  public PipelineRequest {
    if (service == null || !NAME.matcher(service).matches()) {
      throw new IllegalArgumentException("service is missing or malformed");
    }
    if (commitSha == null || !COMMIT.matcher(commitSha).matches()) {
      throw new IllegalArgumentException("commit_sha is missing or not a full commit SHA");
    }
    if (environment == null || !NAME.matcher(environment).matches()) {
      throw new IllegalArgumentException("environment is missing or malformed");
    }
    if (executionId == null || executionId.isBlank()) {
      throw new IllegalArgumentException("execution_id is missing");
    }
  }

  public ArtifactKey key() {
    return new ArtifactKey(service, commitSha);
  }

  /** The pipeline acting for this execution, as audit entries name it. */
  public Actor actor() {
    return new Actor(ActorRole.PIPELINE, executionId);
  }
}
