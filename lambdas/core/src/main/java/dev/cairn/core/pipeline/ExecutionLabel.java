package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.integrity.ArtifactLayout;

/**
 * How a timeline names one DeployArtifactPipeline execution: its environment, commit and trigger.
 */
public final class ExecutionLabel {

  private ExecutionLabel() {}

  /** {@code DeployArtifactPipeline stage 1a2b3c4d5e6f (trigger s3)}, from the execution's input. */
  public static String of(JsonNode input) {
    // An S3 rule's input names the artifact by its manifest key only.
    String commit =
        input.has("commit_sha")
            ? input.path("commit_sha").asText()
            : ArtifactLayout.serviceAndCommit(input.path("manifest_key").asText(null))
                .map(p -> p[1])
                .orElse("");
    return "DeployArtifactPipeline  "
        + input.path("environment").asText()
        + "  "
        + commit.substring(0, Math.min(12, commit.length()))
        + "  (trigger "
        + input.path("trigger").asText()
        + ")";
  }
}
