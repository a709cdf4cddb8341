package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.util.regex.Pattern;

/**
 * One deployer invocation's payload (docs/pipeline-contract.md): {@code action} plus the common
 * fields, validated on construction so a malformed event is refused before anything is touched.
 */
public record PipelineRequest(
    String action,
    String service,
    String commitSha,
    String environment,
    String executionId,
    ObjectNode payload) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  public PipelineRequest {
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("the payload has no action");
    }
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

  /** Reads the common fields of a contract payload. */
  public static PipelineRequest from(ObjectNode payload) {
    return new PipelineRequest(
        payload.path("action").asText(null),
        payload.path("service").asText(null),
        payload.path("commit_sha").asText(null),
        payload.path("environment").asText(null),
        payload.path("execution_id").asText(null),
        payload);
  }

  public ArtifactKey key() {
    return new ArtifactKey(service, commitSha);
  }

  /** The pipeline acting for this execution, as audit entries name it. */
  public Actor actor() {
    return new Actor(ActorRole.PIPELINE, executionId);
  }

  /** A text field of the payload, or null when absent or JSON null. */
  public String text(String field) {
    JsonNode n = payload.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** A required text field. */
  public String required(String field) {
    String v = text(field);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("action " + action + " needs \"" + field + "\"");
    }
    return v;
  }

  public JsonNode node(String field) {
    return payload.path(field);
  }
}
