package dev.cairn.core.failure;

/**
 * Why a stored item was refused as evidence. Stable names: the refusal, the alert and the audit
 * entry carry them, runbooks explain them.
 */
public enum ItemIntegrityFailure {
  RECORD_UNAUTHENTICATED(
      "a cdk-artifact-metadata record has no valid item_mac: it was not written by the control"
          + " plane, or was changed since"),
  AUDIT_ENTRY_UNAUTHENTICATED(
      "a cdk-audit-log entry or chain head has no valid item_mac: it was not written by the"
          + " control plane, or was changed since");

  private final String summary;

  ItemIntegrityFailure(String summary) {
    this.summary = summary;
  }

  public String summary() {
    return summary;
  }
}
