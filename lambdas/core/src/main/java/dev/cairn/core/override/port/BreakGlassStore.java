package dev.cairn.core.override.port;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.StoredBreakGlass;
import java.time.Instant;
import java.util.Optional;

/**
 * Port: the break_glass requests the override Lambda accepted, one per artifact, stored exactly as
 * signed where only the override Lambda may write them. The deployer reads one, verifies it again
 * and consumes it with a conditional write; the artifact record's {@code manual_override_requested}
 * never decides anything.
 */
public interface BreakGlassStore {

  /** Stores {@code request} for its artifact, replacing an earlier one. */
  void store(StoredBreakGlass request);

  /** The request stored for {@code key}, if any (strongly consistent). */
  Optional<StoredBreakGlass> find(ArtifactKey key);

  /**
   * Marks the stored request with {@code nonce} used by {@code executionId}: a conditional write
   * that succeeds once, or again for the same execution (a retried step). False when another
   * execution used it, or the request was replaced.
   */
  boolean consume(ArtifactKey key, String nonce, String executionId, Instant at);
}
