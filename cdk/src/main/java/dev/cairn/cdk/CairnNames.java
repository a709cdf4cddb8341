package dev.cairn.cdk;

/** Physical names the spec fixes, and the role names other accounts trust by ARN. */
public final class CairnNames {
  private CairnNames() {}

  public static final String STATE_MACHINE = "DeployArtifactPipeline";
  public static final String ANCHOR_TOPIC = "audit-anchor-publish";
  public static final String AUDIT_EVENT_DATA_STORE = "cairn-audit-anchors";
  public static final String AUDIT_EVENT_CHANNEL = "cairn-audit-anchors";
  public static final String ARTIFACT_SIGNER_ALIAS = "alias/cdk-ci-artifact-signer";
  public static final String CONTEXT_SIGNER_ALIAS = "alias/cdk-context-signer";
  public static final String CONTEXTS_BUCKET_KEY_ALIAS = "alias/cdk-contexts-bucket-key";
  public static final String ARTIFACTS_BUCKET_KEY_ALIAS = "alias/cdk-artifacts-bucket-key";
  public static final String RECORD_MAC_KEY_ALIAS = "alias/cairn-record-mac";
  public static final String METADATA_EXPORTS_PREFIX = "cdk-artifact-metadata-exports/";
  public static final String MANIFEST_FILE = "artifact-manifest.json";
  public static final String CI_ROLE = "cdk-ci-artifact-builder";

  /**
   * The registrar function, the only one CI may invoke: CI's policy and {@code cairn publish
   * --registrar-function} name it without a cross-stack reference.
   */
  public static final String REGISTRAR_FUNCTION = "cairn-registrar";

  /** The alias every invoker targets (SnapStart applies to published versions only). */
  public static final String LIVE_ALIAS = "live";

  public static final String CONTEXT_GENERATOR_ROLE = "cdk-context-generator";
  public static final String BREAK_GLASS_PARAMETER = "/cairn/break-glass";
  public static final String CONTROL_PLANE_CONFIG_PARAMETER = "/cairn/control-plane-config";
  public static final String POWERTOOLS_SERVICE = "cairn";
  public static final String GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

  /** Target-account role names for one environment. */
  public static String deployRole(String env) {
    return "cairn-" + env + "-deploy";
  }

  public static String executionRole(String env) {
    return "cairn-" + env + "-cfn-exec";
  }

  public static String readOnlyRole(String env) {
    return "cairn-" + env + "-readonly";
  }

  public static String executionBoundary(String env) {
    return "cairn-" + env + "-cfn-exec-boundary";
  }

  /**
   * The permissions boundary every role a deployment creates must carry: the application's CDK app
   * attaches it ({@code PermissionsBoundary.of(stage).apply(...)} or the {@code
   * @aws-cdk/core:permissionsBoundary} context) by this name.
   */
  public static String workloadBoundary(String env) {
    return "cairn-" + env + "-workload-boundary";
  }
}
