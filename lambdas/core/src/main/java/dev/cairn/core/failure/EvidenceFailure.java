package dev.cairn.core.failure;

/**
 * Why a step refused to act on what the execution verified, or on what an artifact ships. Stable
 * codes: each refusal's audit entry (through {@code record_failure}) and alerts carry the name.
 * Never rename one; add a new code instead.
 */
public enum EvidenceFailure {
  EVIDENCE_MISSING("the execution carries no (or malformed) verified evidence"),
  EVIDENCE_BUCKET_MISMATCH("the evidence was read from another bucket than the step acts on"),
  EVIDENCE_DIGEST_MISMATCH(
      "the bytes the step would act on differ from the digest the execution verified"),
  RELEASE_OBJECT_CONFLICT("the release bucket already holds other bytes under the artifact's key"),
  STACK_POLICY_ALLOW_REFUSED(
      "the artifact's stack policy has an Allow statement; a shipped policy may only add denies"),
  TEMPLATE_DESTINATION_MISMATCH(
      "the template in the target's bootstrap bucket is absent or differs from the verified"
          + " artifact's template"),
  TEMPLATE_NOT_VERSIONED(
      "the target's bootstrap bucket returned no version id for the template, so CloudFormation"
          + " cannot be pinned to the bytes that were checked");

  private final String message;

  EvidenceFailure(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }
}
