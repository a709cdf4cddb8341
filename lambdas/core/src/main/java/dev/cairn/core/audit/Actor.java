package dev.cairn.core.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.lifecycle.ActorRole;

/**
 * Who acted: a role from the lifecycle table and an identity (a role ARN, a Lambda name, a signing
 * identity, {@code cairn-cli@host}).
 */
public record Actor(@JsonProperty("role") ActorRole role, @JsonProperty("id") String id) {
  public Actor {
    if (role == null || id == null || id.isBlank()) {
      throw new IllegalArgumentException("actor role and id are required");
    }
  }
}
