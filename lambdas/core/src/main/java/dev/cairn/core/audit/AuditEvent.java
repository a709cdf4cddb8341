package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.StateChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened, before it is sealed into the chain by {@link AuditChain#seal}.
 *
 * @param timestamp from the writer's injected {@code Clock}
 * @param actor who acted
 * @param action spec event vocabulary where one exists ({@code ArtifactPublished}, {@code
 *     ArtifactPromoted}, {@code DeployFailed}, {@code OverrideApplied}, ...)
 * @param artifact the artifact concerned, or null for chain-level events
 * @param before lifecycle state before (null on creation)
 * @param after lifecycle state after
 * @param changes the lifecycle moves made
 * @param reason a justification, when one was given
 * @param signature a signature over the justification, when one was given
 * @param details further string facts (execution id, manifest hash, ...)
 */
public record AuditEvent(
    Instant timestamp,
    Actor actor,
    String action,
    ArtifactKey artifact,
    JsonNode before,
    JsonNode after,
    List<StateChange> changes,
    String reason,
    String signature,
    Map<String, String> details) {

  public AuditEvent {
    if (timestamp == null || actor == null) {
      throw new IllegalArgumentException("timestamp and actor are required");
    }
    if (action == null || !action.matches("[A-Z][A-Za-z0-9]{0,63}")) {
      throw new IllegalArgumentException("action must be an UpperCamelCase event name: " + action);
    }
    changes = changes == null ? List.of() : List.copyOf(changes);
    details = details == null ? Map.of() : Map.copyOf(details);
  }
}
