package dev.cairn.core.override;

import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.trust.TrustedSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Verifies a signed override request, fail-closed and in this order: structure, signer (never CI's
 * key), signature, audience (this installation), time window. Single use (the nonce) and the
 * action's preconditions need the ledger and are checked by the override use case afterwards. The
 * deployer runs the same verifier again on a stored break_glass request before it deploys over
 * drift.
 */
public final class OverrideVerifier {

  /** Clock skew tolerated between the operator's machine and Lambda. */
  public static final Duration ALLOWED_SKEW = Duration.ofSeconds(60);

  private final OperatorTrust operators;
  private final String installationId;
  private final Clock clock;

  /**
   * @param installationId this installation's id: a request must name it as its audience
   */
  public OverrideVerifier(OperatorTrust operators, String installationId, Clock clock) {
    this.operators = operators;
    this.installationId = installationId;
    this.clock = clock;
  }

  public VerifiedOverride verify(byte[] document) throws OverrideRefusedException {
    // 1. Structure.
    OverrideRequests.Parsed parsed = OverrideRequests.parse(document);
    OverrideRequest r = parsed.request();
    // 2. Signer: an operator key, never CI's.
    if (operators.isCiIdentity(r.signingIdentity())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_CI_KEY_REFUSED,
          "signing_identity " + r.signingIdentity() + " is CI's artifact signer");
    }
    TrustedSigner signer =
        operators
            .operator(r.signingIdentity())
            .orElseThrow(
                () ->
                    new OverrideRefusedException(
                        OverrideFailure.OVERRIDE_SIGNER_UNTRUSTED,
                        r.signingIdentity() + " is not in the operator trust policy"));
    // 3. Signature over the canonical form without `signature`.
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(r.signature());
    } catch (IllegalArgumentException e) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_SIGNATURE_INVALID, "signature is not base64");
    }
    if (!signer.verifies(OverrideRequests.signedBytes(parsed.json()), sig, clock.instant())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_SIGNATURE_INVALID,
          "signature does not verify for " + signer.identity());
    }
    // 4. Audience: an operator key may be trusted by several installations; the signed
    // installation_id keeps a request for one from being replayed against another.
    if (!installationId.equals(r.installationId())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_WRONG_INSTALLATION,
          "the request is for installation "
              + r.installationId()
              + "; this installation is "
              + installationId);
    }
    // 5. Time window: at most 15 minutes, not yet expired, not from the future.
    Instant now = clock.instant();
    if (Duration.between(r.requestedAt(), r.expiresAt()).compareTo(OverrideRequests.MAX_LIFETIME)
            > 0
        || !r.expiresAt().isAfter(r.requestedAt())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_EXPIRY_TOO_LONG,
          "requested_at " + r.requestedAt() + ", expires_at " + r.expiresAt());
    }
    if (r.requestedAt().isAfter(now.plus(ALLOWED_SKEW))) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_NOT_YET_VALID,
          "requested_at " + r.requestedAt() + " is after now " + now);
    }
    if (!now.isBefore(r.expiresAt())) {
      throw new OverrideRefusedException(
          OverrideFailure.OVERRIDE_EXPIRED, "expired at " + r.expiresAt() + "; now " + now);
    }
    return new VerifiedOverride(r, signer.identity(), signer.keyFingerprint());
  }
}
