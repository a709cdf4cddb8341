package dev.cairn.cdk;

import dev.cairn.cdk.config.CairnConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.OidcProviderNative;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.WebIdentityPrincipal;
import software.constructs.Construct;

/**
 * Tools account: the GitHub OIDC provider, the {@code cdk-ci-artifact-builder} role (trust bound to
 * {@code aud=sts.amazonaws.com} and the exact repository, ref and workflow), and the {@code
 * cdk-context-generator} role. Permissions are written out statement by statement, not through
 * {@code grant*()}, so the action lists are exactly the spec's, with one deliberate difference: CI
 * gets no {@code dynamodb:PutItem} "for build metadata" but {@code lambda:InvokeFunction} on the
 * registrar, which writes the record (docs/decisions/2026-12-06-ci-writes-no-ledger.md).
 */
public final class CairnCiOidcStack extends Stack {

  /**
   * GitHub's published OIDC thumbprints (ignored by IAM for this provider, kept for older APIs).
   */
  public static final List<String> GITHUB_THUMBPRINTS =
      List.of(
          "6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd");

  /** Resources of the stateful stack the CI roles need. */
  public record StatefulRefs(
      String contextsBucketArn,
      String contextsBucketKeyArn,
      String candidateBucketArn,
      String artifactsBucketKeyArn,
      String artifactSignerKeyArn,
      String contextSignerKeyArn) {
    public static StatefulRefs of(CairnStatefulStack s) {
      return new StatefulRefs(
          s.contextsBucket().getBucketArn(),
          s.contextsBucketKey().getKeyArn(),
          s.candidateBucket().getBucketArn(),
          s.artifactsBucketKey().getKeyArn(),
          s.artifactSignerKey().getKeyArn(),
          s.contextSignerKey().getKeyArn());
    }
  }

  private final Role ciRole;
  private final Role contextGeneratorRole;

  public CairnCiOidcStack(
      Construct scope, String id, StackProps props, CairnConfig config, StatefulRefs refs) {
    super(scope, id, props);
    String host = CairnNames.GITHUB_OIDC_HOST;
    OidcProviderNative provider =
        OidcProviderNative.Builder.create(this, "GitHubOidcProvider")
            .url("https://" + host)
            .clientIds(List.of("sts.amazonaws.com"))
            .thumbprints(GITHUB_THUMBPRINTS)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

    ciRole =
        Role.Builder.create(this, "CiArtifactBuilderRole")
            .roleName(CairnNames.CI_ROLE)
            .description(
                "GitHub Actions (OIDC) for "
                    + config.github().repository()
                    + " "
                    + config.github().workflow()
                    + " on "
                    + config.github().ref()
                    + "; sessions requested with role-duration-seconds: 900")
            .assumedBy(
                new WebIdentityPrincipal(
                    provider.getOidcProviderArn(),
                    Map.of(
                        "StringEquals",
                        Map.of(
                            host + ":aud",
                            "sts.amazonaws.com",
                            host + ":sub",
                            config.github().subjectClaim()))))
            .maxSessionDuration(Duration.hours(1))
            .inlinePolicies(
                Map.of(
                    "CdkCiArtifactBuilder",
                    PolicyDocument.Builder.create().statements(ciStatements(config, refs)).build()))
            .build();

    contextGeneratorRole =
        Role.Builder.create(this, "ContextGeneratorRole")
            .roleName(CairnNames.CONTEXT_GENERATOR_ROLE)
            .description(
                "Secure context pipeline (tools-account CodeBuild) only: lookups, write and sign"
                    + " blessed contexts. Cannot deploy, publish or synthesize artifacts.")
            .assumedBy(
                ServicePrincipal.Builder.create("codebuild.amazonaws.com")
                    .conditions(
                        Map.of(
                            "StringEquals",
                            Map.of("aws:SourceAccount", config.toolsAccount().account())))
                    .build())
            .maxSessionDuration(Duration.hours(1))
            .inlinePolicies(
                Map.of(
                    "CdkContextGenerator",
                    PolicyDocument.Builder.create()
                        .statements(contextGeneratorStatements(config, refs))
                        .build()))
            .build();

    CairnNag.suppress(
        contextGeneratorRole,
        "AwsSolutions-IAM5",
        "The spec grants the context generator ec2:Describe* for fromLookup(); EC2 Describe"
            + " actions support no resource-level permissions, so their resource is *. Context"
            + " uploads are s3:PutObject on the contexts bucket's objects ({env}/{date}.*).");
    CairnNag.suppress(
        ciRole,
        "AwsSolutions-IAM5",
        "Object-level ARNs bucket/* are required for s3:GetObject on blessed contexts and"
            + " s3:PutObject of candidate artifacts ({service}/{commit_sha}/...); no action"
            + " wildcard is granted.");
  }

  static List<PolicyStatement> ciStatements(CairnConfig config, StatefulRefs refs) {
    String region = config.region();
    List<String> publishingRoles = new ArrayList<>();
    for (CairnConfig.EnvironmentConfig env : config.environments()) {
      publishingRoles.add(
          Arns.bootstrapRole(
              config.bootstrapQualifier(), "file-publishing", region, env.account()));
      publishingRoles.add(
          Arns.bootstrapRole(
              config.bootstrapQualifier(), "image-publishing", region, env.account()));
    }
    return List.of(
        // GetObjectVersion: CI reads the bless the latest pointer names at exactly its version, the
        // one the manifest then records (cdk_context_bless).
        allow(
            "ReadBlessedContexts",
            List.of("s3:GetObject", "s3:GetObjectVersion"),
            refs.contextsBucketArn() + "/*"),
        allow("DecryptBlessedContexts", List.of("kms:Decrypt"), refs.contextsBucketKeyArn()),
        allow("PutCandidateArtifacts", List.of("s3:PutObject"), refs.candidateBucketArn() + "/*"),
        allow(
            "EncryptCandidateArtifacts",
            List.of("kms:GenerateDataKey"),
            refs.artifactsBucketKeyArn()),
        allow("SignArtifactManifestOnly", List.of("kms:Sign"), refs.artifactSignerKeyArn()),
        // CI holds no DynamoDB permission: it asks the registrar, which reads and verifies the
        // signed manifest itself, to record the candidate
        // (docs/decisions/2026-12-06-ci-writes-no-ledger.md).
        allow("RegisterCandidates", List.of("lambda:InvokeFunction"), registrarAliasArn(config)),
        PolicyStatement.Builder.create()
            .sid("CdkAssetsPublishAll")
            .effect(Effect.ALLOW)
            .actions(List.of("sts:AssumeRole"))
            .resources(publishingRoles)
            .build());
  }

  /** The registrar's live alias, the only function CI may invoke. */
  static String registrarAliasArn(CairnConfig config) {
    return "arn:"
        + Arns.partition(config.region())
        + ":lambda:"
        + config.region()
        + ":"
        + config.toolsAccount().account()
        + ":function:"
        + CairnNames.REGISTRAR_FUNCTION
        + ":"
        + CairnNames.LIVE_ALIAS;
  }

  static List<PolicyStatement> contextGeneratorStatements(CairnConfig config, StatefulRefs refs) {
    String region = config.region();
    String p = Arns.partition(region);
    List<String> lookupRoles = new ArrayList<>();
    for (CairnConfig.EnvironmentConfig env : config.environments()) {
      lookupRoles.add(
          Arns.bootstrapRole(config.bootstrapQualifier(), "lookup", region, env.account()));
    }
    List<PolicyStatement> out = new ArrayList<>();
    out.add(
        PolicyStatement.Builder.create()
            .sid("LookupsInTargetEnvironments")
            .effect(Effect.ALLOW)
            .actions(List.of("sts:AssumeRole"))
            .resources(lookupRoles)
            .build());
    out.add(
        PolicyStatement.Builder.create()
            .sid("Ec2Lookups")
            .effect(Effect.ALLOW)
            .actions(List.of("ec2:Describe*"))
            .resources(List.of("*"))
            .build());
    out.add(
        allow(
            "StackLookups",
            List.of("cloudformation:DescribeStacks"),
            "arn:"
                + p
                + ":cloudformation:"
                + region
                + ":"
                + config.toolsAccount().account()
                + ":stack/*"));
    if (!config.contextLookupParameters().isEmpty()) {
      out.add(
          PolicyStatement.Builder.create()
              .sid("SsmParameterLookups")
              .effect(Effect.ALLOW)
              .actions(List.of("ssm:GetParameter", "ssm:GetParameters"))
              .resources(
                  config.contextLookupParameters().stream()
                      .map(
                          n ->
                              "arn:"
                                  + p
                                  + ":ssm:"
                                  + region
                                  + ":"
                                  + config.toolsAccount().account()
                                  + ":parameter"
                                  + n)
                      .toList())
              .build());
    }
    out.add(
        allow("WriteBlessedContexts", List.of("s3:PutObject"), refs.contextsBucketArn() + "/*"));
    // cairn context bless reads a key before its conditional write (the same bytes again are a
    // no-op, other bytes are ALREADY_BLESSED), so it reads what it writes; listing the bucket makes
    // a key not blessed yet answer 404 instead of 403, which bless reads as "absent".
    out.add(
        allow(
            "ReadBlessedContextsBeforeWriting",
            List.of("s3:GetObject"),
            refs.contextsBucketArn() + "/*"));
    out.add(allow("ListBlessedContexts", List.of("s3:ListBucket"), refs.contextsBucketArn()));
    out.add(
        allow(
            "DecryptBlessedContextsBeforeWriting",
            List.of("kms:Decrypt"),
            refs.contextsBucketKeyArn()));
    out.add(
        allow(
            "EncryptBlessedContexts", List.of("kms:GenerateDataKey"), refs.contextsBucketKeyArn()));
    out.add(allow("SignContexts", List.of("kms:Sign"), refs.contextSignerKeyArn()));
    return out;
  }

  private static PolicyStatement allow(String sid, List<String> actions, String resource) {
    return PolicyStatement.Builder.create()
        .sid(sid)
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(List.of(resource))
        .build();
  }

  public Role ciRole() {
    return ciRole;
  }

  public Role contextGeneratorRole() {
    return contextGeneratorRole;
  }
}
