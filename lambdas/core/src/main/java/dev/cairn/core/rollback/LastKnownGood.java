package dev.cairn.core.rollback;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.port.RollbackTarget;
import java.util.Comparator;
import java.util.Optional;

/**
 * The rollback target (docs/decisions/2026-11-22-rollback-target.md): the newest commit of the
 * service that is deployed in the final environment with passed smoke tests, never the commit being
 * released. Found with a Query on the service's partition.
 */
public final class LastKnownGood implements RollbackTarget {

  private final DeploymentLedger ledger;

  public LastKnownGood(DeploymentLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Optional<String> find(String service, String finalEnvironment, String excludingCommit) {
    return ledger.findByService(service).stream()
        .filter(r -> !r.commitSha().equals(excludingCommit))
        .filter(r -> healthy(r.environment(finalEnvironment)))
        .max(
            Comparator.comparing(
                (ArtifactRecord r) -> r.environment(finalEnvironment).deployCompletedAt(),
                Comparator.nullsFirst(Comparator.naturalOrder())))
        .map(ArtifactRecord::commitSha);
  }

  private static boolean healthy(EnvironmentState e) {
    return e != null
        && e.status() == EnvironmentStatus.DEPLOYED
        && e.testStatus() == TestStatus.TEST_PASSED;
  }
}
