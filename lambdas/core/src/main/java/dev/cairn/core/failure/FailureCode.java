package dev.cairn.core.failure;

/**
 * The one catalogue of reasons an artifact is refused. Each code belongs to exactly one {@link
 * Gate} and is stable: dashboards, alarms, runbooks and the state machine match on these names.
 * Never rename one; add a new code instead.
 */
public enum FailureCode {
  // 1. MANIFEST_STRUCTURE
  MANIFEST_MISSING(Gate.MANIFEST_STRUCTURE, "the artifact has no manifest"),
  MANIFEST_TOO_LARGE(Gate.MANIFEST_STRUCTURE, "the manifest exceeds the size limit"),
  MANIFEST_MALFORMED_JSON(Gate.MANIFEST_STRUCTURE, "the manifest is not well-formed JSON"),
  MANIFEST_DUPLICATE_KEY(Gate.MANIFEST_STRUCTURE, "the manifest repeats a JSON key"),
  MANIFEST_TOO_DEEP(Gate.MANIFEST_STRUCTURE, "the manifest nests deeper than allowed"),
  MANIFEST_NOT_OBJECT(Gate.MANIFEST_STRUCTURE, "the manifest is not a JSON object"),
  MANIFEST_UNSUPPORTED_SCHEMA_VERSION(
      Gate.MANIFEST_STRUCTURE, "the manifest's schema_version is not supported"),
  MANIFEST_MISSING_FIELD(Gate.MANIFEST_STRUCTURE, "a required manifest field is missing"),
  MANIFEST_UNKNOWN_FIELD(
      Gate.MANIFEST_STRUCTURE, "the manifest has a field the schema does not define"),
  MANIFEST_FIELD_TYPE(Gate.MANIFEST_STRUCTURE, "a manifest field has the wrong JSON type"),
  MANIFEST_FIELD_FORMAT(Gate.MANIFEST_STRUCTURE, "a manifest field's value has the wrong format"),
  MANIFEST_UNSAFE_PATH(Gate.MANIFEST_STRUCTURE, "a manifest path breaks the path rules"),
  MANIFEST_PATH_CASE_COLLISION(
      Gate.MANIFEST_STRUCTURE, "two manifest paths differ only in letter case"),
  MANIFEST_RESERVED_PATH(Gate.MANIFEST_STRUCTURE, "a manifest path uses a name Cairn reserves"),

  // 2. SIGNATURE
  SIGNER_UNTRUSTED(Gate.SIGNATURE, "signing_identity is not a trusted signer"),
  SIGNATURE_MALFORMED(Gate.SIGNATURE, "the signature is not valid base64 of a signature"),
  SIGNATURE_INVALID(Gate.SIGNATURE, "the signature does not verify against the pinned key"),

  // 3. COMMIT_PROVENANCE
  COMMIT_NOT_SIGNED(Gate.COMMIT_PROVENANCE, "git_signature_verified is not true"),
  COMMIT_SIGNATURE_ASSERTED(
      Gate.COMMIT_PROVENANCE,
      "the commit's signature was asserted, not verified by cairn manifest create, and the trust"
          + " policy does not allow asserted signatures"),
  SOURCE_REF_NOT_ALLOWED(Gate.COMMIT_PROVENANCE, "source_ref is not an allowed ref"),
  COMMIT_MISMATCH(Gate.COMMIT_PROVENANCE, "the manifest's commit is not the expected commit"),
  SERVICE_MISMATCH(Gate.COMMIT_PROVENANCE, "the manifest's service is not the expected service"),

  // 4. FILE_INTEGRITY
  FILE_MISSING(Gate.FILE_INTEGRITY, "a file listed in the manifest is missing"),
  FILE_MODIFIED(Gate.FILE_INTEGRITY, "a file's SHA-256 differs from the manifest"),
  FILE_UNEXPECTED(Gate.FILE_INTEGRITY, "a file is present that the manifest does not list"),
  FILE_SYMLINK(Gate.FILE_INTEGRITY, "the artifact contains a symbolic link"),
  FILE_NOT_REGULAR(
      Gate.FILE_INTEGRITY, "the artifact contains an entry that is not a regular file"),
  FILE_UNSAFE_PATH(Gate.FILE_INTEGRITY, "an artifact file's path breaks the path rules"),
  FILE_UNREADABLE(Gate.FILE_INTEGRITY, "an artifact file could not be read"),

  // 5. ARTIFACT_DIGEST
  ARTIFACT_DIGEST_MISMATCH(
      Gate.ARTIFACT_DIGEST, "artifact_sha256 differs from the digest recomputed from the files"),
  ARTIFACT_DIGEST_UNEXPECTED(
      Gate.ARTIFACT_DIGEST, "artifact_sha256 differs from the value recorded in the ledger"),

  // 6. CONTEXT_HASH
  CONTEXT_HASH_MISMATCH(Gate.CONTEXT_HASH, "cdk_context_hash differs from the blessed context"),
  CONTEXT_BLESS_MISSING(
      Gate.CONTEXT_HASH, "the manifest does not name the blessed context it was built with"),
  CONTEXT_NOT_BLESSED(
      Gate.CONTEXT_HASH,
      "the named context is not a blessed context signed by a trusted context-blessing key"),
  CONTEXT_BLESS_REVOKED(Gate.CONTEXT_HASH, "the named context's bless was revoked"),

  // 7. CLI_VERSION
  CLI_VERSION_NOT_ALLOWED(Gate.CLI_VERSION, "cdk_cli_version is not an approved version"),

  // 8. ASSET_INTEGRITY
  ASSET_MANIFEST_INVALID(Gate.ASSET_INTEGRITY, "an asset manifest (*.assets.json) is invalid"),
  ASSET_UNDECLARED(Gate.ASSET_INTEGRITY, "an asset of the cloud assembly is not declared"),
  ASSET_UNKNOWN(Gate.ASSET_INTEGRITY, "a declared asset is not in any asset manifest"),
  ASSET_SOURCE_MISSING(Gate.ASSET_INTEGRITY, "an asset's source is not in the artifact"),
  ASSET_HASH_MISMATCH(Gate.ASSET_INTEGRITY, "an asset's content hash differs from its declaration"),
  ASSET_DESTINATION_MISMATCH(
      Gate.ASSET_INTEGRITY, "an asset's declared location is not one of its destinations"),
  ASSET_MISSING_AT_DESTINATION(
      Gate.ASSET_INTEGRITY, "an asset is not at its destination in the target environment"),
  ASSET_DESTINATION_HASH_MISMATCH(
      Gate.ASSET_INTEGRITY, "the asset published at the destination differs from the artifact's"),
  ASSET_IMAGE_NOT_PINNED(
      Gate.ASSET_INTEGRITY, "a container image asset has no ecrUri pinned to a sha256 digest"),
  ASSET_IMAGE_DIGEST_MISMATCH(
      Gate.ASSET_INTEGRITY, "the image at the destination has another digest than the pinned one");

  private final Gate gate;
  private final String summary;

  FailureCode(Gate gate, String summary) {
    this.gate = gate;
    this.summary = summary;
  }

  /** The gate this code belongs to. */
  public Gate gate() {
    return gate;
  }

  /** A one-line, human summary; the failure's {@code detail} says what exactly was wrong. */
  public String summary() {
    return summary;
  }
}
