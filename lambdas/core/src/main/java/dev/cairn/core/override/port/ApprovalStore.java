package dev.cairn.core.override.port;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.ApprovalCounter;
import java.util.Map;
import java.util.Set;

/**
 * Port: signed approvals per (artifact, environment), one per operator key fingerprint, so one key
 * approving twice counts once. The signed document itself is kept: whoever counts re-verifies it
 * and checks what it is bound to ({@link ApprovalCounter}), rather than trusting the store.
 */
public interface ApprovalStore {

  /**
   * Adds {@code keyFingerprint}'s signed approval {@code document} (a later one from the same key
   * replaces it) and returns the distinct approvers afterwards.
   */
  Set<String> record(ArtifactKey key, String environment, String keyFingerprint, byte[] document);

  /** The stored signed approval documents by key fingerprint (empty when none). */
  Map<String, byte[]> approvals(ArtifactKey key, String environment);

  /** The distinct key fingerprints that approved (empty when none). */
  default Set<String> approvers(ArtifactKey key, String environment) {
    return approvals(key, environment).keySet();
  }

  /** A store that never holds an approval: environments that need approvals stay closed. */
  ApprovalStore NONE =
      new ApprovalStore() {
        @Override
        public Set<String> record(
            ArtifactKey key, String environment, String keyFingerprint, byte[] document) {
          throw new IllegalStateException("no approval store is configured");
        }

        @Override
        public Map<String, byte[]> approvals(ArtifactKey key, String environment) {
          return Map.of();
        }
      };
}
