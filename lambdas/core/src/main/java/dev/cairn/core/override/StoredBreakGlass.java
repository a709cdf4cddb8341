package dev.cairn.core.override;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.port.BreakGlassStore;
import java.util.Objects;

/**
 * A break_glass request as the override Lambda stored it.
 *
 * @param document the signed request document, byte for byte as submitted (its signature is
 *     verified again where it is used)
 * @param nonce the request's nonce (the conditional write of {@link BreakGlassStore#consume} names
 *     it, so a replaced request cannot be consumed under the old one's name)
 * @param executionName the pipeline execution the override Lambda started for it: the only one that
 *     may use it
 * @param consumedBy the execution that used it, or null
 */
public record StoredBreakGlass(
    ArtifactKey key, String document, String nonce, String executionName, String consumedBy) {

  public StoredBreakGlass {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(executionName, "executionName");
  }
}
