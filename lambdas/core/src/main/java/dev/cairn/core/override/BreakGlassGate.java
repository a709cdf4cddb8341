package dev.cairn.core.override;

import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.port.BreakGlassFlag;
import dev.cairn.core.override.port.BreakGlassStore;
import dev.cairn.core.pipeline.DriftDetected;
import dev.cairn.core.pipeline.port.DriftOverride;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The drift gate's use of a break_glass (spec: "Aborts if drift is found unless override is signed
 * and authorized"), a fixed sequence of steps, each refusing with its own stable code, an alert,
 * and (through the state machine's {@code RecordDriftDetected}) an audit entry:
 *
 * <ol>
 *   <li>a request is stored for this artifact; a record that claims {@code
 *       manual_override_requested} without one is {@code BREAK_GLASS_FORGED};
 *   <li>no other execution used it ({@code BREAK_GLASS_REUSED}): checked before anything else about
 *       it, so a used request is reported as reused even once it has also expired (a refusal may
 *       rest on the store's state; only an acceptance needs the signature);
 *   <li>the SSM break-glass flag is still open ({@code BREAK_GLASS_DISABLED}): closing it, or its
 *       expiry, stops a request that was accepted but not yet used;
 *   <li>its signature, signer and audience verify against the operator trust policy as it reads
 *       now, so a revoked operator key stops working ({@code BREAK_GLASS_FORGED}), and it has not
 *       expired ({@code BREAK_GLASS_EXPIRED});
 *   <li>it is a break_glass for this commit and this environment ({@code BREAK_GLASS_MISMATCH});
 *   <li>it names this execution: the one the override Lambda started for it ({@code
 *       BREAK_GLASS_MISMATCH});
 *   <li>it is consumed by a conditional write, once ({@code BREAK_GLASS_REUSED}).
 * </ol>
 */
public final class BreakGlassGate implements DriftOverride {

  /** Port: the operators' alert topic. */
  @FunctionalInterface
  public interface Alerts {
    void alert(String subject, String message);
  }

  private final BreakGlassStore store;
  private final BreakGlassFlag flag;
  private final Supplier<OverrideVerifier> verifier;
  private final Alerts alerts;
  private final Clock clock;

  /**
   * @param verifier the override verifier on the current operator trust (re-read with the trust
   *     configuration's TTL)
   */
  public BreakGlassGate(
      BreakGlassStore store,
      BreakGlassFlag flag,
      Supplier<OverrideVerifier> verifier,
      Alerts alerts,
      Clock clock) {
    this.store = store;
    this.flag = flag;
    this.verifier = verifier;
    this.alerts = alerts;
    this.clock = clock;
  }

  /**
   * Decides whether a verified break_glass lets {@code executionId} deploy over drift.
   *
   * @param recordClaimsOverride the record's {@code manual_override_requested}: never a reason to
   *     deploy, only to report a forgery
   * @return the override id (the request's nonce), or empty when no break_glass is claimed at all
   * @throws DriftDetected with message {@code "<CODE>: <detail>"} when a break_glass is refused
   */
  @Override
  public Optional<String> authorize(
      ArtifactKey key,
      String environment,
      String executionId,
      boolean recordClaimsOverride,
      String drift) {
    // 1. A stored request.
    Optional<StoredBreakGlass> found = store.find(key);
    if (found.isEmpty()) {
      if (recordClaimsOverride) {
        throw refuse(
            OverrideFailure.BREAK_GLASS_FORGED,
            key,
            environment,
            "the record claims manual_override_requested, but the override Lambda stored no signed"
                + " break_glass request for it",
            drift);
      }
      return Optional.empty();
    }
    StoredBreakGlass stored = found.get();
    // 2. Not used by another execution.
    if (stored.consumedBy() != null && !stored.consumedBy().equals(executionId)) {
      throw refuse(
          OverrideFailure.BREAK_GLASS_REUSED,
          key,
          environment,
          "nonce " + stored.nonce() + " was used by " + stored.consumedBy(),
          drift);
    }
    // 3. The flag is still open.
    BreakGlassFlagState open = flag.read();
    if (!open.enabled()) {
      throw refuse(
          OverrideFailure.BREAK_GLASS_DISABLED,
          key,
          environment,
          "the SSM break-glass flag was closed before the drift gate used the request ("
              + open.detail()
              + ")",
          drift);
    }
    // 4. Signature, signer, audience and time window, against the operator trust as it is now.
    VerifiedOverride v;
    try {
      v = verifier.get().verify(stored.document().getBytes(StandardCharsets.UTF_8));
    } catch (OverrideRefusedException e) {
      OverrideFailure code =
          e.failure() == OverrideFailure.OVERRIDE_EXPIRED
              ? OverrideFailure.BREAK_GLASS_EXPIRED
              : OverrideFailure.BREAK_GLASS_FORGED;
      throw refuse(code, key, environment, e.getMessage(), drift);
    }
    OverrideRequest r = v.request();
    // 5. This commit, this environment.
    if (r.action() != OverrideAction.BREAK_GLASS
        || !r.service().equals(key.service())
        || !r.commitSha().equals(key.commitSha())
        || !environment.equals(r.environment())) {
      throw refuse(
          OverrideFailure.BREAK_GLASS_MISMATCH,
          key,
          environment,
          "the stored request is "
              + r.action().wireName()
              + " for "
              + r.service()
              + "@"
              + r.commitSha()
              + " in "
              + r.environment()
              + "; this execution deploys to "
              + environment,
          drift);
    }
    // 6. The execution the override Lambda started for it.
    if (!executionId.equals(stored.executionName())
        && !executionId.endsWith(":" + stored.executionName())) {
      throw refuse(
          OverrideFailure.BREAK_GLASS_MISMATCH,
          key,
          environment,
          "the request authorizes execution " + stored.executionName() + ", not " + executionId,
          drift);
    }
    // 7. Single use.
    if (!store.consume(key, r.nonce(), executionId, clock.instant())) {
      throw refuse(
          OverrideFailure.BREAK_GLASS_REUSED,
          key,
          environment,
          "nonce " + r.nonce() + " was consumed by another execution first",
          drift);
    }
    alerts.alert(
        "Cairn break_glass used: " + key.service() + " " + environment,
        "Execution "
            + executionId
            + " deploys "
            + key.service()
            + "@"
            + key.commitSha()
            + " over drift ("
            + drift
            + ") under break_glass nonce "
            + r.nonce()
            + " signed by "
            + v.signerIdentity()
            + ": "
            + r.reason());
    return Optional.of(r.nonce());
  }

  private DriftDetected refuse(
      OverrideFailure code, ArtifactKey key, String environment, String detail, String drift) {
    String message =
        code.name()
            + ": "
            + detail
            + "; drift in "
            + environment
            + " ("
            + drift
            + ") is not overridden";
    alerts.alert(
        "Cairn break_glass refused " + code.name() + ": " + key.service() + " " + environment,
        key.service() + "@" + key.commitSha() + ": " + message);
    return new DriftDetected(message);
  }
}
