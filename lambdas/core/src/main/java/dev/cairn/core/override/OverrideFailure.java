package dev.cairn.core.override;

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
  OVERRIDE_NOT_YET_VALID("requested_at is in the future"),
  OVERRIDE_EXPIRY_TOO_LONG("expires_at is more than 15 minutes after requested_at"),
  OVERRIDE_EXPIRED("the request has expired"),
  OVERRIDE_REPLAYED("the nonce was already used"),
  OVERRIDE_PRECONDITION_FAILED("the action's preconditions do not hold"),
  BREAK_GLASS_DISABLED("break_glass needs the SSM break-glass flag to be on"),
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
