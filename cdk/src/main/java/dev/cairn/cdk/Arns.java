package dev.cairn.cdk;

/** Literal ARNs for resources in other accounts (tokens cannot cross accounts). */
public final class Arns {
  private Arns() {}

  /** The partition of a region: aws, aws-us-gov or aws-cn. */
  public static String partition(String region) {
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return "aws";
  }

  public static String role(String region, String account, String roleName) {
    return "arn:" + partition(region) + ":iam::" + account + ":role/" + roleName;
  }

  public static String policy(String region, String account, String policyName) {
    return "arn:" + partition(region) + ":iam::" + account + ":policy/" + policyName;
  }

  /** {@code arn:aws:cloudformation:<region>:<account>:stack/<prefix>-*}{@code /*}. */
  public static String prefixedStacks(String region, String account, String prefix) {
    return "arn:"
        + partition(region)
        + ":cloudformation:"
        + region
        + ":"
        + account
        + ":stack/"
        + prefix
        + "-*/*";
  }

  /**
   * The objects of the CDK bootstrap file-asset bucket of {@code qualifier} (config {@code
   * bootstrap_qualifier}, default hnb659fds): {@code
   * arn:aws:s3:::cdk-<qualifier>-assets-<account>-<region>/*}. Assets, stack templates included,
   * are named by content hash, known only when CI publishes them.
   */
  public static String bootstrapAssetObjects(String qualifier, String region, String account) {
    return "arn:"
        + partition(region)
        + ":s3:::cdk-"
        + qualifier
        + "-assets-"
        + account
        + "-"
        + region
        + "/*";
  }

  /** The CDK bootstrap container-asset repository of {@code qualifier}. */
  public static String bootstrapContainerAssets(String qualifier, String region, String account) {
    return "arn:"
        + partition(region)
        + ":ecr:"
        + region
        + ":"
        + account
        + ":repository/cdk-"
        + qualifier
        + "-container-assets-"
        + account
        + "-"
        + region;
  }

  /**
   * The bootstrap stack's version parameter of {@code qualifier}: {@code
   * /cdk-bootstrap/<qualifier>/version}, which the deployer checks against a stack's {@code
   * requiresBootstrapStackVersion}.
   */
  public static String bootstrapVersionParameter(String qualifier, String region, String account) {
    return "arn:"
        + partition(region)
        + ":ssm:"
        + region
        + ":"
        + account
        + ":parameter/cdk-bootstrap/"
        + qualifier
        + "/version";
  }

  /** The CDK bootstrap role of {@code qualifier} of a kind, e.g. lookup or file-publishing. */
  public static String bootstrapRole(String qualifier, String kind, String region, String account) {
    return role(
        region, account, "cdk-" + qualifier + "-" + kind + "-role-" + account + "-" + region);
  }
}
