package dev.cairn.core.failure;

/**
 * Why an override request was refused. Stable names: the override Lambda returns them, the audit
 * entry records them, runbooks explain them.
 */
public enum OverrideFailure {
  OVERRIDE_MALFORMED("the request is not a valid override request document"),
  OVERRIDE_SIGNER_UNTRUSTED("signing_identity is not an operator key"),
  OVERRIDE_CI_KEY_REFUSED(
      "the request is signed with CI's artifact key, which may never authorize overrides"),
  OVERRIDE_SIGNATURE_INVALID("the signature does not verify against the operator's pinned key"),
  OVERRIDE_WRONG_INSTALLATION(
      "installation_id names another Cairn installation; a request is valid for one installation"),
  OVERRIDE_NOT_YET_VALID("requested_at is in the future"),
  OVERRIDE_EXPIRY_TOO_LONG("expires_at is more than 15 minutes after requested_at"),
  OVERRIDE_EXPIRED("the request has expired"),
  OVERRIDE_REPLAYED("the nonce was already used"),
  OVERRIDE_PRECONDITION_FAILED("the action's preconditions do not hold"),
  BREAK_GLASS_DISABLED(
      "break_glass needs the SSM break-glass flag to be on: {\"enabled\":true,\"expires_at\":…}"
          + " in the future"),
  // Refusals at drift time (the deployer's DetectDrift), where a stored break_glass is used.
  BREAK_GLASS_FORGED(
      "no stored break_glass request verifies against the operator trust policy for this artifact"),
  BREAK_GLASS_MISMATCH(
      "the stored break_glass request names another commit, environment or execution"),
  BREAK_GLASS_EXPIRED("the stored break_glass request expired before the drift gate used it"),
  BREAK_GLASS_REUSED("the stored break_glass request was already used by another execution"),
  APPROVAL_WRONG_ARTIFACT("the approval names another artifact digest than the one being deployed"),
  APPROVAL_WRONG_ENVIRONMENT("the approval names another environment"),
  APPROVAL_WRONG_INSTALLATION("the approval names another Cairn installation"),
  APPROVAL_EXPIRED("the approval's approval_expires_at has passed"),
  APPROVAL_EXPIRY_TOO_LONG(
      "approval_expires_at is not after requested_at or is more than 7 days after it");

  private final String summary;

  OverrideFailure(String summary) {
    this.summary = summary;
  }

  public String summary() {
    return summary;
  }
}
