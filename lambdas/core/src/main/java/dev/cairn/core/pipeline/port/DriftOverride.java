package dev.cairn.core.pipeline.port;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.pipeline.DriftDetected;
import java.util.Optional;

/**
 * Port: whether a signed, authorized override lets this execution deploy over drift (implemented by
 * {@code dev.cairn.core.override.BreakGlassGate}).
 */
@FunctionalInterface
public interface DriftOverride {

  /**
   * @param recordClaimsOverride the record's {@code manual_override_requested}, which only a
   *     forgery report may use
   * @param drift the drifted stacks, for the refusal and the alert
   * @return the override id, or empty when no override is claimed
   * @throws DriftDetected when an override is claimed but refused (message {@code "<CODE>: …"})
   */
  Optional<String> authorize(
      ArtifactKey key,
      String environment,
      String executionId,
      boolean recordClaimsOverride,
      String drift);
}
