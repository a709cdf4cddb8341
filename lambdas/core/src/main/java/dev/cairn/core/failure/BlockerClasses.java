package dev.cairn.core.failure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table from failure code to blocker class, for every catalogue Cairn has. The switches
 * have no {@code default}: a code added to a catalogue does not compile until it is classified
 * here.
 */
public final class BlockerClasses {

  private static final Map<String, BlockerClass> BY_CODE = table();

  private BlockerClasses() {}

  /** The artifact verifier's gates (spec "Signature Validation Logic" and gate 8). */
  public static BlockerClass of(FailureCode code) {
    return switch (code) {
      // The manifest is the provenance document: without a well-formed one nothing links the
      // artifact to its source and build.
      case MANIFEST_MISSING,
          MANIFEST_TOO_LARGE,
          MANIFEST_MALFORMED_JSON,
          MANIFEST_DUPLICATE_KEY,
          MANIFEST_TOO_DEEP,
          MANIFEST_NOT_OBJECT,
          MANIFEST_UNSUPPORTED_SCHEMA_VERSION,
          MANIFEST_MISSING_FIELD,
          MANIFEST_UNKNOWN_FIELD,
          MANIFEST_FIELD_TYPE,
          MANIFEST_FIELD_FORMAT ->
          BlockerClass.PROVENANCE;
      // Paths that could escape or alias the declared surface.
      case MANIFEST_UNSAFE_PATH, MANIFEST_PATH_CASE_COLLISION, MANIFEST_RESERVED_PATH ->
          BlockerClass.BUILD_SURFACE;
      case SIGNER_UNTRUSTED, SIGNATURE_MALFORMED, SIGNATURE_INVALID -> BlockerClass.AUTHN;
      case COMMIT_NOT_SIGNED,
          COMMIT_SIGNATURE_ASSERTED,
          SOURCE_REF_NOT_ALLOWED,
          COMMIT_MISMATCH,
          SERVICE_MISMATCH ->
          BlockerClass.PROVENANCE;
      case FILE_MISSING,
          FILE_MODIFIED,
          FILE_UNEXPECTED,
          FILE_SYMLINK,
          FILE_NOT_REGULAR,
          FILE_UNSAFE_PATH,
          FILE_UNREADABLE ->
          BlockerClass.BUILD_SURFACE;
      case ARTIFACT_DIGEST_MISMATCH, ARTIFACT_DIGEST_UNEXPECTED -> BlockerClass.IDENTITY;
      // Deterministic inputs: the blessed context and an approved toolchain.
      case CONTEXT_HASH_MISMATCH,
          CONTEXT_BLESS_MISSING,
          CONTEXT_NOT_BLESSED,
          CONTEXT_BLESS_REVOKED,
          CLI_VERSION_NOT_ALLOWED ->
          BlockerClass.BUILD_SURFACE;
      case ASSET_MANIFEST_INVALID, ASSET_UNDECLARED, ASSET_UNKNOWN, ASSET_SOURCE_MISSING ->
          BlockerClass.BUILD_SURFACE;
      case ASSET_HASH_MISMATCH,
          ASSET_DESTINATION_MISMATCH,
          ASSET_MISSING_AT_DESTINATION,
          ASSET_DESTINATION_HASH_MISMATCH,
          ASSET_IMAGE_NOT_PINNED,
          ASSET_IMAGE_DIGEST_MISMATCH ->
          BlockerClass.IDENTITY;
    };
  }

  /** Steps after verification that act only on the execution's verified evidence. */
  public static BlockerClass of(EvidenceFailure code) {
    return switch (code) {
      case EVIDENCE_MISSING,
          EVIDENCE_BUCKET_MISMATCH,
          EVIDENCE_DIGEST_MISMATCH,
          RELEASE_OBJECT_CONFLICT,
          // The template at the destination is not (or cannot be pinned to) the verified bytes.
          TEMPLATE_DESTINATION_MISMATCH,
          TEMPLATE_NOT_VERSIONED ->
          BlockerClass.IDENTITY;
      // The artifact tried to grant itself more than the environment's stack policy allows.
      case STACK_POLICY_ALLOW_REFUSED -> BlockerClass.AUTHZ;
    };
  }

  /** Signed operator requests: overrides, break-glass and approvals. */
  public static BlockerClass of(OverrideFailure code) {
    return switch (code) {
      case OVERRIDE_MALFORMED,
          OVERRIDE_SIGNER_UNTRUSTED,
          OVERRIDE_CI_KEY_REFUSED,
          OVERRIDE_SIGNATURE_INVALID,
          OVERRIDE_WRONG_INSTALLATION,
          OVERRIDE_NOT_YET_VALID,
          OVERRIDE_EXPIRY_TOO_LONG,
          OVERRIDE_EXPIRED,
          OVERRIDE_REPLAYED,
          BREAK_GLASS_FORGED ->
          BlockerClass.AUTHN;
      case OVERRIDE_PRECONDITION_FAILED,
          BREAK_GLASS_DISABLED,
          BREAK_GLASS_MISMATCH,
          BREAK_GLASS_EXPIRED,
          BREAK_GLASS_REUSED,
          APPROVAL_WRONG_ARTIFACT,
          APPROVAL_WRONG_ENVIRONMENT,
          APPROVAL_WRONG_INSTALLATION,
          APPROVAL_EXPIRED,
          APPROVAL_EXPIRY_TOO_LONG ->
          BlockerClass.AUTHZ;
    };
  }

  /** The registrar, which creates the record from the manifest CI uploaded. */
  public static BlockerClass of(RegistrationFailure code) {
    return switch (code) {
      case REGISTRATION_MALFORMED, REGISTRATION_MANIFEST_MISSING, REGISTRATION_MANIFEST_REJECTED ->
          BlockerClass.PROVENANCE;
      case REGISTRATION_CONFLICT -> BlockerClass.IDENTITY;
    };
  }

  /** Records and audit entries without a valid MAC: not written by the control plane. */
  public static BlockerClass of(ItemIntegrityFailure code) {
    return switch (code) {
      case RECORD_UNAUTHENTICATED, AUDIT_ENTRY_UNAUTHENTICATED -> BlockerClass.AUTHN;
    };
  }

  /** {@code cairn evidence verify}'s own refusals. */
  public static BlockerClass of(EvidenceCheckFailure code) {
    return switch (code) {
      case EVIDENCE_NOT_FOUND,
          EVIDENCE_MALFORMED,
          EVIDENCE_NOT_RECORDED,
          EVIDENCE_DIGEST_MISMATCH,
          EVIDENCE_AUDIT_ENTRY_MISSING,
          EVIDENCE_AUDIT_HASH_MISMATCH,
          EVIDENCE_CHAIN_BROKEN,
          EVIDENCE_NOT_ANCHORED ->
          BlockerClass.PROVENANCE;
    };
  }

  /** An execution that ended without recording: the pipeline itself did not finish the release. */
  public static BlockerClass of(ExecutionEndFailure code) {
    return switch (code) {
      case EXECUTION_ABORTED, EXECUTION_TIMED_OUT, EXECUTION_FAILED -> BlockerClass.DEPLOY;
    };
  }

  /**
   * The class of a failure code of any catalogue, by its stable name. {@code
   * EVIDENCE_DIGEST_MISMATCH} exists in two catalogues with the same meaning (bytes differ from a
   * recorded digest) but different classes; the pipeline's ({@code IDENTITY}) wins here, since that
   * is the one found in a failed execution.
   */
  public static Optional<BlockerClass> byCode(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** Every code of every catalogue with its class, in catalogue order. */
  public static Map<String, BlockerClass> all() {
    return BY_CODE;
  }

  /** The class of a failed pipeline phase whose error carries no catalogue code. */
  public static Optional<BlockerClass> ofPhase(String phase) {
    if (phase == null) {
      return Optional.empty();
    }
    return switch (phase) {
      case "deploy", "rollback" -> Optional.of(BlockerClass.DEPLOY);
      case "tests" -> Optional.of(BlockerClass.TEST);
      case "bake", "post_deploy_watch" -> Optional.of(BlockerClass.BAKE);
      case "drift" -> Optional.of(BlockerClass.DRIFT);
      default -> Optional.empty();
    };
  }

  private static Map<String, BlockerClass> table() {
    Map<String, BlockerClass> m = new LinkedHashMap<>();
    for (EvidenceCheckFailure c : EvidenceCheckFailure.values()) {
      m.put(c.name(), of(c));
    }
    for (FailureCode c : FailureCode.values()) {
      m.put(c.name(), of(c));
    }
    for (EvidenceFailure c : EvidenceFailure.values()) {
      m.put(c.name(), of(c));
    }
    for (OverrideFailure c : OverrideFailure.values()) {
      m.put(c.name(), of(c));
    }
    for (RegistrationFailure c : RegistrationFailure.values()) {
      m.put(c.name(), of(c));
    }
    for (ItemIntegrityFailure c : ItemIntegrityFailure.values()) {
      m.put(c.name(), of(c));
    }
    for (ExecutionEndFailure c : ExecutionEndFailure.values()) {
      m.put(c.name(), of(c));
    }
    return Collections.unmodifiableMap(m);
  }
}
