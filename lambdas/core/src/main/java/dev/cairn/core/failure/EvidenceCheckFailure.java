package dev.cairn.core.failure;

/**
 * Why {@code cairn evidence verify} refuses a release evidence record. Stable names: scripts and
 * runbooks match on them. Each is a {@link BlockerClass#PROVENANCE} failure.
 */
public enum EvidenceCheckFailure {
  EVIDENCE_NOT_FOUND("no release evidence record exists for the artifact"),
  EVIDENCE_MALFORMED("the record is not a release-evidence.v1 JSON object"),
  EVIDENCE_NOT_RECORDED(
      "no ReleaseEvidenceRecorded audit entry names the record (it was not written by the"
          + " control plane)"),
  EVIDENCE_DIGEST_MISMATCH(
      "the record's bytes differ from the SHA-256 its ReleaseEvidenceRecorded entry recorded"),
  EVIDENCE_AUDIT_ENTRY_MISSING("an audit entry the record references is not in the chain"),
  EVIDENCE_AUDIT_HASH_MISMATCH(
      "an audit entry the record references has another log_hash in the chain"),
  EVIDENCE_CHAIN_BROKEN("the audit chain does not verify up to the entries the record references"),
  EVIDENCE_NOT_ANCHORED(
      "no published anchor covers the entry that recorded the record, or an anchor disagrees");

  private final String message;

  EvidenceCheckFailure(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }
}
