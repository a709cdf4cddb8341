package dev.cairn.core.pipeline;

import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.pipeline.port.StackDeployers;
import dev.cairn.core.trust.TrustPolicy;
import java.time.Clock;
import java.util.Objects;

/**
 * The ports and configuration every deployer use case shares, built once in the Lambda's
 * composition root.
 *
 * @param candidateBucket where CI publishes ({@code cdk-artifacts-candidate})
 * @param releaseBucket where promotion copies to ({@code cdk-artifacts-release})
 */
public record PipelineServices(
    DeploymentLedger ledger,
    ArtifactStore store,
    StackDeployers deployers,
    AlarmMonitor alarms,
    PipelineMetrics metrics,
    EnvironmentChain chain,
    TrustPolicy trustPolicy,
    String candidateBucket,
    String releaseBucket,
    String bootstrapVersionParameter,
    Sleeper sleeper,
    Clock clock) {

  public PipelineServices {
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(deployers, "deployers");
    Objects.requireNonNull(alarms, "alarms");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(trustPolicy, "trustPolicy");
    Objects.requireNonNull(candidateBucket, "candidateBucket");
    Objects.requireNonNull(releaseBucket, "releaseBucket");
    Objects.requireNonNull(bootstrapVersionParameter, "bootstrapVersionParameter");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(clock, "clock");
  }

  /** Waits between polls inside one invocation (drift detection). Virtual in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(java.time.Duration d) throws InterruptedException;
  }
}
