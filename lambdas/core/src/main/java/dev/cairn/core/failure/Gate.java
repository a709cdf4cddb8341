package dev.cairn.core.failure;

/**
 * The verification gates, in the order the spec's "Signature Validation Logic" lists them, plus
 * assets. The verifier evaluates them in this order and stops at the first gate that fails.
 */
public enum Gate {
  /** 1. Manifest presence and structure. */
  MANIFEST_STRUCTURE,
  /** 2. Validity of the cryptographic signature using a trusted CI key. */
  SIGNATURE,
  /** 3. The commit was signed, originated from an allowed ref, and is the one expected. */
  COMMIT_PROVENANCE,
  /** 4. Every file in cdk.out matches the manifest hashes; no file is missing or extra. */
  FILE_INTEGRITY,
  /** 5. {@code artifact_sha256} matches the recomputed digest and the value in DynamoDB. */
  ARTIFACT_DIGEST,
  /** 6. The {@code .cdk.context.json} hash matches the blessed context. */
  CONTEXT_HASH,
  /** 7. The CDK CLI version is on the approved list. */
  CLI_VERSION,
  /** 8. Every declared asset matches the cloud assembly's asset manifests and files. */
  ASSET_INTEGRITY
}
