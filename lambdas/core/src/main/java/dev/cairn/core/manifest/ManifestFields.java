package dev.cairn.core.manifest;

import java.util.List;
import java.util.Set;

/** The manifest's field names, verbatim from the spec, in the order files list them. */
public final class ManifestFields {
  public static final String SCHEMA_VERSION = "schema_version";
  public static final String SERVICE = "service";
  public static final String COMMIT = "commit";
  public static final String SOURCE_REF = "source_ref";
  public static final String GIT_SIGNATURE_VERIFIED = "git_signature_verified";

  /**
   * How CI established {@code git_signature_verified}: {@code {"method": "openpgp"|"ssh", "signer",
   * "principal", "required_ref"}} when {@code cairn manifest create --repo} verified the commit's
   * signature itself, {@code {"method": "asserted"}} when it was told so.
   */
  public static final String GIT_SIGNATURE = "git_signature";

  public static final String ARTIFACT_SHA256 = "artifact_sha256";
  public static final String CDK_CLI_VERSION = "cdk_cli_version";
  public static final String CDK_CONTEXT_HASH = "cdk_context_hash";

  /**
   * The blessed context the artifact was built with: {@code {"object_key": "{env}/{date}
   * .context.json", "version_id": "<S3 version id>"}} in the contexts bucket. Optional in the
   * schema (manifests written before it have none); the deploy pipeline requires it at gate 6.
   */
  public static final String CDK_CONTEXT_BLESS = "cdk_context_bless";

  public static final String CDK_LIBRARY_VERSIONS = "cdk_library_versions";
  public static final String FILE_HASHES = "file_hashes";
  public static final String ASSETS = "assets";
  public static final String BUILD_TIME = "build_time";

  /**
   * Optional (manifests written before it existed have none): the commit's committer time, RFC 3339
   * UTC, where seed 004's lead time starts.
   */
  public static final String COMMIT_TIME = "commit_time";

  public static final String BUILD_DURATION_SECONDS = "build_duration_seconds";
  public static final String SIGNING_IDENTITY = "signing_identity";
  public static final String SIGNATURE = "signature";

  /** Asset declaration members. */
  public static final String ASSET_HASH = "hash";

  public static final String ASSET_S3_URI = "s3Uri";
  public static final String ASSET_ECR_URI = "ecrUri";

  /** Fields every manifest must have, in document order. */
  public static final List<String> REQUIRED =
      List.of(
          SCHEMA_VERSION,
          SERVICE,
          COMMIT,
          SOURCE_REF,
          GIT_SIGNATURE_VERIFIED,
          ARTIFACT_SHA256,
          CDK_CLI_VERSION,
          CDK_CONTEXT_HASH,
          FILE_HASHES,
          ASSETS,
          BUILD_TIME,
          BUILD_DURATION_SECONDS,
          SIGNING_IDENTITY,
          SIGNATURE);

  /** Every field the schema defines. */
  public static final Set<String> KNOWN =
      Set.copyOf(
          new java.util.ArrayList<>(REQUIRED) {
            {
              add(CDK_LIBRARY_VERSIONS);
              add(GIT_SIGNATURE);
              add(COMMIT_TIME);
              add(CDK_CONTEXT_BLESS);
            }
          });

  private ManifestFields() {}
}
