package dev.cairn.core.override;

import dev.cairn.core.ledger.ArtifactKey;
import java.util.Set;

/**
 * Port: signed approvals per (artifact, environment), recorded as a set of operator key
 * fingerprints, so one key approving twice counts once.
 */
public interface ApprovalStore {

  /** Adds {@code keyFingerprint}'s approval and returns the distinct approvers afterwards. */
  Set<String> record(ArtifactKey key, String environment, String keyFingerprint);

  /** The distinct key fingerprints that approved (empty when none). */
  Set<String> approvers(ArtifactKey key, String environment);

  /** A store that never holds an approval: environments that need approvals stay closed. */
  ApprovalStore NONE =
      new ApprovalStore() {
        @Override
        public Set<String> record(ArtifactKey key, String environment, String keyFingerprint) {
          throw new IllegalStateException("no approval store is configured");
        }

        @Override
        public Set<String> approvers(ArtifactKey key, String environment) {
          return Set.of();
        }
      };
}
