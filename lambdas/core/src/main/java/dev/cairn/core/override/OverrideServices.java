package dev.cairn.core.override;

import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.override.port.ApprovalStore;
import dev.cairn.core.override.port.BreakGlassFlag;
import dev.cairn.core.override.port.BreakGlassStore;
import dev.cairn.core.override.port.NonceStore;
import dev.cairn.core.override.port.OverrideNotifier;
import dev.cairn.core.override.port.PipelineStarter;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.trust.TrustPolicy;
import java.time.Clock;
import java.util.Objects;

/**
 * The ports and configuration of the override Lambda, built once in its composition root.
 *
 * @param ciTrust CI's trust policy: a release artifact must verify against it before an operator
 *     may roll back or promote to it
 */
public record OverrideServices(
    OverrideVerifier verifier,
    DeploymentLedger ledger,
    AuditLog audit,
    ArtifactStore store,
    TrustPolicy ciTrust,
    EnvironmentChain chain,
    String candidateBucket,
    String releaseBucket,
    NonceStore nonces,
    ApprovalStore approvals,
    BreakGlassFlag breakGlass,
    BreakGlassStore breakGlassRequests,
    OverrideNotifier notifier,
    PipelineStarter pipeline,
    Clock clock) {

  public OverrideServices {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(ciTrust, "ciTrust");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(candidateBucket, "candidateBucket");
    Objects.requireNonNull(releaseBucket, "releaseBucket");
    Objects.requireNonNull(nonces, "nonces");
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(breakGlass, "breakGlass");
    Objects.requireNonNull(breakGlassRequests, "breakGlassRequests");
    Objects.requireNonNull(notifier, "notifier");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(clock, "clock");
  }
}
