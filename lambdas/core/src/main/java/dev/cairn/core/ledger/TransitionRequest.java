package dev.cairn.core.ledger;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.StateChange;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A request to move an artifact through its lifecycle.
 *
 * @param key the artifact
 * @param actor who asks; the lifecycle table decides whether the role may make each move
 * @param action the audit action name (spec vocabulary: {@code ArtifactPromoted}, {@code
 *     DeployFailed}, ...)
 * @param changes the lifecycle moves, each with the value the caller expects to find; empty for an
 *     annotation that changes only attributes
 * @param attributes further non-lifecycle attributes to set (durations, timestamps, execution id,
 *     {@code last_known_good_commit}, ...). It must not touch status fields, key or version.
 * @param reason justification (override, rollback), or null
 * @param signature signature over the justification, or null
 * @param details facts recorded only in the audit entry
 */
public record TransitionRequest(
    ArtifactKey key,
    Actor actor,
    String action,
    List<StateChange> changes,
    Consumer<ArtifactRecord.Builder> attributes,
    String reason,
    String signature,
    Map<String, String> details) {

  public TransitionRequest {
    if (key == null || actor == null || action == null) {
      throw new IllegalArgumentException("key, actor and action are required");
    }
    // No moves at all is an annotation: attributes and an audit entry, written as one transaction
    // like any transition (execution_status, finalizer marks, refusals).
    changes = changes == null ? List.of() : List.copyOf(changes);
    attributes = attributes == null ? b -> {} : attributes;
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** A request with only lifecycle moves. */
  public static TransitionRequest of(
      ArtifactKey key, Actor actor, String action, StateChange... changes) {
    return new TransitionRequest(key, actor, action, List.of(changes), null, null, null, null);
  }

  public TransitionRequest withAttributes(Consumer<ArtifactRecord.Builder> a) {
    return new TransitionRequest(key, actor, action, changes, a, reason, signature, details);
  }

  public TransitionRequest withReason(String r, String sig) {
    return new TransitionRequest(key, actor, action, changes, attributes, r, sig, details);
  }

  public TransitionRequest withDetails(Map<String, String> d) {
    return new TransitionRequest(key, actor, action, changes, attributes, reason, signature, d);
  }
}
