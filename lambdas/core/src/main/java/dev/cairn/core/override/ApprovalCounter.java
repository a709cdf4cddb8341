package dev.cairn.core.override;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.port.ApprovalStore;
import dev.cairn.core.pipeline.LeaseUseCase;
import dev.cairn.core.trust.TrustedSigner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts N-of-M approvals where they are used: every stored approval is re-read from its signed
 * document and counts only when, in this order,
 *
 * <ol>
 *   <li>it parses as an {@code approve} request for this service, commit and environment ({@code
 *       OVERRIDE_MALFORMED}, {@code APPROVAL_WRONG_ENVIRONMENT});
 *   <li>its signer is an operator key, never CI's, and the signature verifies ({@code
 *       OVERRIDE_CI_KEY_REFUSED}, {@code OVERRIDE_SIGNER_UNTRUSTED}, {@code
 *       OVERRIDE_SIGNATURE_INVALID});
 *   <li>it names the digest being deployed ({@code APPROVAL_WRONG_ARTIFACT}) and this installation
 *       ({@code APPROVAL_WRONG_INSTALLATION});
 *   <li>it has not expired ({@code APPROVAL_EXPIRED}).
 * </ol>
 *
 * Distinct keys are counted by the fingerprint of the key that verified the signature, so neither
 * the store's own keys nor a second identity for the same key add a vote. Ignored approvals are
 * audited ({@code ApprovalsIgnored}, one entry per count that ignored any) unless the counter is
 * {@link #quiet()}.
 */
public final class ApprovalCounter implements LeaseUseCase.Approvals {

  /** The actor of the {@code ApprovalsIgnored} entry: the control plane counting. */
  static final Actor ACTOR = new Actor(ActorRole.PIPELINE, "cairn-approval-count");

  private final ApprovalStore store;
  private final OperatorTrust operators;
  private final String installationId;
  private final AuditLog audit;
  private final Clock clock;

  /**
   * @param audit where ignored approvals are recorded; null for a counter that only looks (the
   *     sweeper's, which runs every 2 minutes and must not add entries while an environment waits)
   */
  public ApprovalCounter(
      ApprovalStore store,
      OperatorTrust operators,
      String installationId,
      AuditLog audit,
      Clock clock) {
    this.store = store;
    this.operators = operators;
    this.installationId = installationId;
    this.audit = audit;
    this.clock = clock;
  }

  /** The same count without audit entries. */
  public ApprovalCounter quiet() {
    return new ApprovalCounter(store, operators, installationId, null, clock);
  }

  /** One approval that did not count, and why. */
  public record Ignored(String keyFingerprint, OverrideFailure failure, String detail) {}

  /** The keys that counted and the approvals that did not. */
  public record Count(Set<String> approvers, List<Ignored> ignored) {
    public Count {
      approvers = Set.copyOf(approvers);
      ignored = List.copyOf(ignored);
    }
  }

  @Override
  public int distinct(ArtifactKey key, String environment, String artifactSha256) {
    Count c = count(key, environment, artifactSha256);
    if (audit != null && !c.ignored().isEmpty()) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("environment", environment);
      details.put("artifact_sha256", artifactSha256);
      details.put("approvals_counted", Integer.toString(c.approvers().size()));
      List<String> ignored = new ArrayList<>();
      for (Ignored i : c.ignored()) {
        ignored.add(i.keyFingerprint() + "=" + i.failure().name());
      }
      details.put("approvals_ignored", String.join(",", ignored));
      details.put("failure", c.ignored().get(0).failure().name());
      audit.append(
          new AuditEvent(
              clock.instant(),
              ACTOR,
              "ApprovalsIgnored",
              key,
              null,
              null,
              List.of(),
              null,
              null,
              details));
    }
    return c.approvers().size();
  }

  /** Re-verifies every stored approval for {@code key} and {@code environment}. */
  public Count count(ArtifactKey key, String environment, String artifactSha256) {
    Instant now = clock.instant();
    Set<String> approvers = new LinkedHashSet<>();
    List<Ignored> ignored = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : store.approvals(key, environment).entrySet()) {
      try {
        approvers.add(check(e.getValue(), key, environment, artifactSha256, now));
      } catch (OverrideRefusedException refused) {
        ignored.add(new Ignored(e.getKey(), refused.failure(), refused.getMessage()));
      }
    }
    return new Count(approvers, ignored);
  }

  /** The verified key fingerprint of an approval that counts. */
  private String check(
      byte[] document, ArtifactKey key, String environment, String artifactSha256, Instant now)
      throws OverrideRefusedException {
    // 1. An approve request for exactly this artifact and environment.
    OverrideRequests.Parsed parsed = OverrideRequests.parse(document);
    OverrideRequest r = parsed.request();
    ApprovalBinding binding = parsed.approval();
    if (r.action() != OverrideAction.APPROVE
        || binding == null
        || !r.service().equals(key.service())
        || !r.commitSha().equals(key.commitSha())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_MALFORMED,
          "not an approval of " + key.service() + "@" + key.commitSha());
    }
    if (!environment.equals(r.environment())) {
      throw new OverrideRefusedException(
          OverrideFailure.APPROVAL_WRONG_ENVIRONMENT,
          "approves " + r.environment() + ", not " + environment);
    }
    // 2. Signer and signature, as the override Lambda checked them when it was submitted.
    if (operators.isCiIdentity(r.signingIdentity())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_CI_KEY_REFUSED, r.signingIdentity() + " is CI's signer");
    }
    TrustedSigner signer =
        operators
            .operator(r.signingIdentity())
            .orElseThrow(
                () ->
                    new OverrideRefusedException(
                        OverrideFailure.OVERRIDE_SIGNER_UNTRUSTED,
                        r.signingIdentity() + " is not in the operator trust policy"));
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(r.signature());
    } catch (IllegalArgumentException notBase64) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_SIGNATURE_INVALID, "signature is not base64");
    }
    if (!signer.verifies(OverrideRequests.signedBytes(parsed.json()), signature, now)) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_SIGNATURE_INVALID,
          "signature does not verify for " + signer.identity());
    }
    // 3. Bound to the digest being deployed and to this installation.
    if (!binding.artifactSha256().equals(artifactSha256)) {
      throw new OverrideRefusedException(
          OverrideFailure.APPROVAL_WRONG_ARTIFACT,
          "approves digest " + binding.artifactSha256() + ", deploying " + artifactSha256);
    }
    if (!binding.installationId().equals(installationId)) { // a null installation counts none
      throw new OverrideRefusedException(
          OverrideFailure.APPROVAL_WRONG_INSTALLATION,
          "approves for installation " + binding.installationId() + ", this is " + installationId);
    }
    // 4. Not expired.
    if (!now.isBefore(binding.expiresAt())) {
      throw new OverrideRefusedException(
          OverrideFailure.APPROVAL_EXPIRED, "expired at " + binding.expiresAt() + "; now " + now);
    }
    return signer.keyFingerprint();
  }
}
