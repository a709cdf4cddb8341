package dev.cairn.cdk;

import dev.cairn.cdk.config.CairnConfig;
import dev.cairn.cdk.config.CairnConfig.EnvironmentConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.CompositePrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * One per environment account: the deploy role Cairn assumes (with {@code DurationSeconds=900}),
 * the CloudFormation execution role with its permissions boundary, and the finalizer's read-only
 * role. Every ARN is a literal: the tools account's roles are trusted by name, since tokens cannot
 * cross accounts.
 */
public final class CairnTargetAccountStack extends Stack {

  /** The only actions the deploy role has on CloudFormation (spec: IAM Boundary Model). */
  public static final List<String> DEPLOY_ACTIONS =
      List.of(
          "cloudformation:CreateChangeSet",
          "cloudformation:ExecuteChangeSet",
          "cloudformation:DescribeChangeSet",
          "cloudformation:DeleteChangeSet",
          "cloudformation:Describe*",
          "cloudformation:DetectStackDrift",
          "cloudformation:SetStackPolicy",
          // A stack's terminationProtection from its cloud assembly, set after the deploy.
          "cloudformation:UpdateTerminationProtection",
          "cloudformation:DeleteStack");

  /** What the finalizer may read to reconcile metadata with the real stacks. */
  public static final List<String> READ_ONLY_ACTIONS =
      List.of(
          "cloudformation:DescribeStacks",
          "cloudformation:DescribeStackEvents",
          "cloudformation:DescribeStackResources",
          "cloudformation:DescribeChangeSet",
          "cloudformation:ListStackResources",
          "cloudformation:GetTemplate");

  /**
   * The role actions whose {@code iam:PermissionsBoundary} (the boundary requested, or the role's)
   * must be the workload boundary (IAM User Guide, "Delegating responsibility to others by using
   * permissions boundaries").
   */
  static final List<String> ROLE_BOUNDARY_ACTIONS =
      List.of(
          "iam:CreateRole",
          "iam:PutRolePermissionsBoundary",
          "iam:PutRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:DetachRolePolicy");

  /**
   * AWS managed policies a workload role may attach: service-role policies for the runtimes CDK
   * apps deploy, none with IAM writes (API Gateway's, which CDK's {@code RestApi} attaches to the
   * role it gives API Gateway for access logging, writes only CloudWatch Logs; CodeDeploy's for
   * ECS, which CDK's {@code EcsDeploymentGroup} attaches, grants {@code iam:PassRole}, which the
   * workload boundary denies every role). Customer managed policies under the environment's prefix
   * are allowed too (their content is the template's, bounded by the workload boundary).
   */
  static final List<String> ALLOWED_AWS_MANAGED_POLICIES =
      List.of(
          "service-role/AWSLambdaBasicExecutionRole",
          "service-role/AWSLambdaVPCAccessExecutionRole",
          "service-role/AWSLambdaSQSQueueExecutionRole",
          "service-role/AWSLambdaDynamoDBExecutionRole",
          "service-role/AWSLambdaKinesisExecutionRole",
          "service-role/AmazonAPIGatewayPushToCloudWatchLogs",
          "AWSCodeDeployRoleForECS",
          "AWSXRayDaemonWriteAccess");

  private static List<String> allowedManagedPolicies(
      String region, String account, EnvironmentConfig env) {
    String p = Arns.partition(region);
    List<String> out = new ArrayList<>();
    ALLOWED_AWS_MANAGED_POLICIES.forEach(n -> out.add("arn:" + p + ":iam::aws:policy/" + n));
    out.add("arn:" + p + ":iam::" + account + ":policy/" + env.stackNamePrefix() + "-*");
    return out;
  }

  /** IAM write actions the boundary denies outside the environment's prefix. */
  public static final List<String> IAM_WRITE_ACTIONS =
      List.of(
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateAssumeRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:PutRolePermissionsBoundary",
          "iam:DeleteRolePermissionsBoundary",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:PassRole",
          "iam:CreatePolicy",
          "iam:DeletePolicy",
          "iam:CreatePolicyVersion",
          "iam:DeletePolicyVersion",
          "iam:SetDefaultPolicyVersion",
          "iam:CreateInstanceProfile",
          "iam:DeleteInstanceProfile",
          "iam:AddRoleToInstanceProfile",
          "iam:RemoveRoleFromInstanceProfile",
          "iam:CreateUser",
          "iam:DeleteUser",
          "iam:CreateAccessKey",
          "iam:PutUserPolicy",
          "iam:AttachUserPolicy",
          "iam:CreateGroup",
          "iam:PutGroupPolicy",
          "iam:AttachGroupPolicy",
          "iam:AddUserToGroup");

  /** Organization- and account-level settings no deployed app may touch. */
  public static final List<String> ACCOUNT_SETTINGS_ACTIONS =
      List.of(
          "organizations:LeaveOrganization",
          "organizations:DeleteOrganization",
          "organizations:InviteAccountToOrganization",
          "organizations:AttachPolicy",
          "organizations:DetachPolicy",
          "account:PutAlternateContact",
          "account:DeleteAlternateContact",
          "account:PutContactInformation",
          "account:EnableRegion",
          "account:DisableRegion",
          "iam:CreateAccountAlias",
          "iam:DeleteAccountAlias",
          "iam:UpdateAccountPasswordPolicy",
          "iam:DeleteAccountPasswordPolicy",
          "iam:CreateOpenIDConnectProvider",
          "iam:DeleteOpenIDConnectProvider",
          "iam:CreateSAMLProvider",
          "iam:DeleteSAMLProvider",
          "cloudtrail:StopLogging",
          "cloudtrail:DeleteTrail",
          "cloudtrail:UpdateTrail",
          "config:StopConfigurationRecorder",
          "config:DeleteConfigurationRecorder",
          "config:DeleteDeliveryChannel");

  private final Role deployRole;
  private final Role executionRole;
  private final Role readOnlyRole;

  public CairnTargetAccountStack(
      Construct scope, String id, StackProps props, CairnConfig config, EnvironmentConfig env) {
    super(scope, id, props);
    String region = env.region();
    String account = env.account();
    String tools = config.toolsAccount().account();
    String qualifier = config.bootstrapQualifier();
    String stacks = Arns.prefixedStacks(region, account, env.stackNamePrefix());
    String deployRoleArn = Arns.role(region, account, CairnNames.deployRole(env.name()));
    String execRoleArn = Arns.role(region, account, CairnNames.executionRole(env.name()));
    String readOnlyRoleArn = Arns.role(region, account, CairnNames.readOnlyRole(env.name()));
    String boundaryArn = Arns.policy(region, account, CairnNames.executionBoundary(env.name()));
    String deployerArn = Arns.role(region, tools, CairnFunction.DEPLOYER.roleName());
    String finalizerArn = Arns.role(region, tools, CairnFunction.FINALIZER.roleName());
    String verifierArn = Arns.role(region, tools, CairnFunction.MANIFEST_VERIFIER.roleName());

    // --- CloudFormation execution role: permissions from config, never AdministratorAccess.
    List<PolicyStatement> allowed = new ArrayList<>(executionStatements(env, region, account));
    allowed.add(readCdkAssets(qualifier, region, account));
    List<PolicyStatement> boundaryStatements = new ArrayList<>(allowed);
    String p = Arns.partition(region);
    String prefixedRoles =
        "arn:" + p + ":iam::" + account + ":role/" + env.stackNamePrefix() + "-*";
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyIamOutsidePrefix")
            .effect(Effect.DENY)
            .actions(IAM_WRITE_ACTIONS.stream().filter(a -> !a.equals("iam:PassRole")).toList())
            .notResources(
                List.of(
                    prefixedRoles,
                    "arn:" + p + ":iam::" + account + ":policy/" + env.stackNamePrefix() + "-*",
                    "arn:"
                        + p
                        + ":iam::"
                        + account
                        + ":instance-profile/"
                        + env.stackNamePrefix()
                        + "-*"))
            .build());
    // A resource handler passes the role a template names, which may be a service's linked role
    // (a scalable target's RoleARN is Application Auto Scaling's). Only the linked service can
    // assume a role under aws-service-role/ and only that service can change its policies, so
    // passing one hands nobody a permission; every other role outside the prefix stays denied.
    // IAM has no key tying iam:PassedToService to the role's path: the path is the tightest scope.
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyPassRoleOutsidePrefix")
            .effect(Effect.DENY)
            .actions(List.of("iam:PassRole"))
            .notResources(List.of(prefixedRoles, serviceLinkedRoles(p, account)))
            .build());
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyChangesToCairnRoles")
            .effect(Effect.DENY)
            .actions(IAM_WRITE_ACTIONS)
            .resources(List.of(deployRoleArn, execRoleArn, readOnlyRoleArn, boundaryArn))
            .build());
    // Roles the templates create (the workload's) are bounded too, or one resource could create an
    // administrator trusted by another account: CreateRole only with the workload boundary, no
    // boundary removed or swapped, policies put or attached only on roles that carry it, and
    // managed policies only from the allow-list.
    String workloadBoundaryArn =
        Arns.policy(region, account, CairnNames.workloadBoundary(env.name()));
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyRolesWithoutTheWorkloadBoundary")
            .effect(Effect.DENY)
            .actions(ROLE_BOUNDARY_ACTIONS)
            .resources(List.of("*"))
            .conditions(
                Map.of("StringNotEquals", Map.of("iam:PermissionsBoundary", workloadBoundaryArn)))
            .build());
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyRemovingABoundary")
            .effect(Effect.DENY)
            .actions(List.of("iam:DeleteRolePermissionsBoundary"))
            .resources(List.of("*"))
            .build());
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyManagedPoliciesNotAllowListed")
            .effect(Effect.DENY)
            .actions(List.of("iam:AttachRolePolicy"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "ArnNotLike",
                    Map.of("iam:PolicyARN", allowedManagedPolicies(region, account, env))))
            .build());
    boundaryStatements.add(
        PolicyStatement.Builder.create()
            .sid("DenyOrganizationAndAccountSettings")
            .effect(Effect.DENY)
            .actions(ACCOUNT_SETTINGS_ACTIONS)
            .resources(List.of("*"))
            .build());
    ManagedPolicy boundary =
        ManagedPolicy.Builder.create(this, "ExecutionRoleBoundary")
            .managedPolicyName(CairnNames.executionBoundary(env.name()))
            .description(
                "Permissions boundary of the Cairn CloudFormation execution role for "
                    + env.name()
                    + ": denies IAM outside the prefix, the Cairn roles, and account settings.")
            .document(PolicyDocument.Builder.create().statements(boundaryStatements).build())
            .build();
    ManagedPolicy.Builder.create(this, "WorkloadBoundary")
        .managedPolicyName(CairnNames.workloadBoundary(env.name()))
        .description(
            "Permissions boundary of every role Cairn deployments create in "
                + env.name()
                + ": this account's resources only, no IAM writes, no account settings.")
        .document(
            PolicyDocument.Builder.create()
                .statements(
                    List.of(
                        // Like CDK bootstrap's own boundary: allow what the role's policies
                        // grant, here only on this account's resources (no reach out of it)...
                        PolicyStatement.Builder.create()
                            .sid("ThisAccountsResourcesOnly")
                            .effect(Effect.ALLOW)
                            .actions(List.of("*"))
                            .resources(List.of("*"))
                            .conditions(
                                Map.of(
                                    "StringEqualsIfExists", Map.of("aws:ResourceAccount", account)))
                            .build(),
                        // ... and never escalate through IAM or the account's settings.
                        PolicyStatement.Builder.create()
                            .sid("DenyIamWrites")
                            .effect(Effect.DENY)
                            .actions(IAM_WRITE_ACTIONS)
                            .resources(List.of("*"))
                            .build(),
                        PolicyStatement.Builder.create()
                            .sid("DenyOrganizationAndAccountSettings")
                            .effect(Effect.DENY)
                            .actions(ACCOUNT_SETTINGS_ACTIONS)
                            .resources(List.of("*"))
                            .build()))
                .build())
        .build();
    executionRole =
        Role.Builder.create(this, "ExecutionRole")
            .roleName(CairnNames.executionRole(env.name()))
            .description("CloudFormation execution role for Cairn deployments of " + env.name())
            .assumedBy(new ServicePrincipal("cloudformation.amazonaws.com"))
            .permissionsBoundary(boundary)
            .inlinePolicies(
                Map.of(
                    "CairnExecutionPolicy",
                    PolicyDocument.Builder.create().statements(allowed).build()))
            .build();

    // --- Deploy role: change sets on <prefix>-* stacks only, PassRole for the execution role only.
    deployRole =
        Role.Builder.create(this, "DeployRole")
            .roleName(CairnNames.deployRole(env.name()))
            .description(
                "Assumed by the Cairn deployer and finalizer with DurationSeconds=900 (the"
                    + " 15-minute bound is enforced by the caller; IAM's minimum"
                    + " MaxSessionDuration is 1 hour).")
            .assumedBy(
                new CompositePrincipal(
                    new ArnPrincipal(deployerArn), new ArnPrincipal(finalizerArn)))
            .maxSessionDuration(Duration.hours(1))
            .inlinePolicies(
                Map.of(
                    "CairnDeployPolicy",
                    PolicyDocument.Builder.create()
                        .statements(
                            List.of(
                                PolicyStatement.Builder.create()
                                    .sid("DeployPrefixedStacksOnly")
                                    .effect(Effect.ALLOW)
                                    .actions(DEPLOY_ACTIONS)
                                    .resources(List.of(stacks))
                                    .build(),
                                PolicyStatement.Builder.create()
                                    .sid("PassOnlyTheExecutionRole")
                                    .effect(Effect.ALLOW)
                                    .actions(List.of("iam:PassRole"))
                                    .resources(List.of(execRoleArn))
                                    .conditions(
                                        Map.of(
                                            "StringEquals",
                                            Map.of(
                                                "iam:PassedToService",
                                                "cloudformation.amazonaws.com")))
                                    .build(),
                                // CloudFormation fetches a TemplateURL with the caller's
                                // credentials: the deployer gives the template cdk-assets
                                // published to this account's bootstrap bucket, so this role
                                // reads it there (decision 2026-12-06). No s3:ListBucket.
                                PolicyStatement.Builder.create()
                                    .sid("ReadStackTemplatesFromBootstrapBucket")
                                    .effect(Effect.ALLOW)
                                    .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                                    .resources(
                                        List.of(
                                            Arns.bootstrapAssetObjects(qualifier, region, account)))
                                    .build(),
                                // The deployer checks requiresBootstrapStackVersion against
                                // the bootstrap stack's version parameter before deploying.
                                // Found by the sandbox's IAM check: no grant.
                                PolicyStatement.Builder.create()
                                    .sid("ReadBootstrapVersion")
                                    .effect(Effect.ALLOW)
                                    .actions(List.of("ssm:GetParameter"))
                                    .resources(
                                        List.of(
                                            Arns.bootstrapVersionParameter(
                                                qualifier, region, account)))
                                    .build(),
                                // DescribeStackDriftDetectionStatus has no resource type in
                                // the Service Authorization Reference: it is granted on * or
                                // not at all. Found by the sandbox's IAM check (denied on the
                                // stack ARN, so drift detection could never finish in prod).
                                PolicyStatement.Builder.create()
                                    .sid("ReadDriftDetectionStatus")
                                    .effect(Effect.ALLOW)
                                    .actions(
                                        List.of("cloudformation:DescribeStackDriftDetectionStatus"))
                                    .resources(List.of("*"))
                                    .build(),
                                // A template that declares the SAM transform: CloudFormation
                                // authorizes its change set also on the transform (User Guide,
                                // "Control access with IAM"). Only SAM's: AWS::Include would
                                // splice in S3 content the artifact does not hold, and this role
                                // has no serverlessrepo action, so an AWS::Serverless::Application
                                // cannot bring in an unsigned template either
                                // (decision 2026-12-07).
                                PolicyStatement.Builder.create()
                                    .sid("ExpandTheSamTransform")
                                    .effect(Effect.ALLOW)
                                    .actions(List.of("cloudformation:CreateChangeSet"))
                                    .resources(
                                        List.of(
                                            "arn:"
                                                + p
                                                + ":cloudformation:"
                                                + region
                                                + ":aws:transform/Serverless-2016-10-31"))
                                    .build()))
                        .build()))
            .build();

    readOnlyRole =
        Role.Builder.create(this, "ReadOnlyRole")
            .roleName(CairnNames.readOnlyRole(env.name()))
            .description(
                "Read-only view of the "
                    + env.name()
                    + " environment: stacks (finalizer), bake"
                    + " alarms (deployer), CDK assets at their destinations (manifest-verifier)")
            .assumedBy(
                new CompositePrincipal(
                    new ArnPrincipal(finalizerArn),
                    new ArnPrincipal(deployerArn),
                    new ArnPrincipal(verifierArn)))
            .maxSessionDuration(Duration.hours(1))
            .inlinePolicies(
                Map.of(
                    "CairnReadOnlyPolicy",
                    PolicyDocument.Builder.create()
                        .statements(
                            List.of(
                                PolicyStatement.Builder.create()
                                    .sid("ReadPrefixedStacks")
                                    .effect(Effect.ALLOW)
                                    .actions(READ_ONLY_ACTIONS)
                                    .resources(List.of(stacks))
                                    .build(),
                                PolicyStatement.Builder.create()
                                    .sid("ReadPublishedCdkAssets")
                                    .effect(Effect.ALLOW)
                                    .actions(List.of("s3:GetObject", "ecr:DescribeImages"))
                                    .resources(
                                        List.of(
                                            Arns.bootstrapAssetObjects(qualifier, region, account),
                                            Arns.bootstrapContainerAssets(
                                                qualifier, region, account)))
                                    .build()))
                        .build()))
            .build();

    if (!env.alarmsToWatch().isEmpty()) {
      // Exactly the environment's bake alarms, by ARN: their state and their history in the window.
      readOnlyRole.addToPolicy(
          PolicyStatement.Builder.create()
              .sid("ReadBakeAlarms")
              .effect(Effect.ALLOW)
              .actions(List.of("cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"))
              .resources(
                  env.alarmsToWatch().stream()
                      .map(
                          a ->
                              "arn:"
                                  + Arns.partition(region)
                                  + ":cloudwatch:"
                                  + region
                                  + ":"
                                  + account
                                  + ":alarm:"
                                  + a)
                      .toList())
              .build());
    }

    CairnNag.suppress(
        this,
        "AwsSolutions-IAM5",
        "Wildcards here are only the spec's own: cloudformation:Describe* and the stack ARN suffix"
            + " stack/<prefix>-*/*; the execution policy's resources are wildcarded only after"
            + " the environment's stack-name prefix (checked by CairnConfigLoader). The CDK"
            + " bootstrap asset bucket's objects (<bucket>/*, s3:GetObject only) are named by"
            + " content hash when CI publishes them: the verifier hashes them, CloudFormation"
            + " fetches stack templates from there as the deploy role."
            + " cloudformation:DescribeStackDriftDetectionStatus has no resource type, so"
            + " Resource * is the only form IAM accepts for it. The boundary's"
            + " Deny of account settings uses Resource * because those actions have no resource."
            + " The workload boundary grants nothing: its Allow *:* (this account's resources"
            + " only) is the cap on roles the templates create, which IAM intersects with their"
            + " own policies; its denies and the execution boundary's role conditions use"
            + " Resource * because iam:PermissionsBoundary and iam:PolicyARN are the scope.");
  }

  /** Every service-linked role of the account: IAM keeps them under this path only. */
  public static String serviceLinkedRoles(String partition, String account) {
    return "arn:" + partition + ":iam::" + account + ":role/aws-service-role/*";
  }

  /**
   * Lambda reads a function's deployment package ({@code Code.S3Bucket}/{@code S3Key}, the asset
   * cdk-assets published to this account's bootstrap bucket) with the credentials of whoever calls
   * CreateFunction or UpdateFunctionCode: CloudFormation's handler, as this role. The config cannot
   * grant it: asset keys are content hashes, not under {@code {prefix}}. Found by the sandbox's IAM
   * check once it recorded the resource handlers' calls. Reads only; no ListBucket.
   */
  private static PolicyStatement readCdkAssets(String qualifier, String region, String account) {
    return PolicyStatement.Builder.create()
        .sid("ReadFunctionCodeFromBootstrapBucket")
        .effect(Effect.ALLOW)
        .actions(List.of("s3:GetObject"))
        .resources(List.of(Arns.bootstrapAssetObjects(qualifier, region, account)))
        .build();
  }

  private static List<PolicyStatement> executionStatements(
      EnvironmentConfig env, String region, String account) {
    List<PolicyStatement> out = new ArrayList<>();
    int i = 0;
    for (CairnConfig.ExecutionStatement st : env.executionPolicy()) {
      i++;
      List<String> resources =
          st.resources().stream()
              .map(
                  r ->
                      r.replace("{partition}", Arns.partition(region))
                          .replace("{region}", region)
                          .replace("{account}", account)
                          .replace("{prefix}", env.stackNamePrefix()))
              .toList();
      out.add(
          PolicyStatement.Builder.create()
              .sid(st.sid() == null ? "Execution" + i : st.sid())
              .effect(Effect.ALLOW)
              .actions(st.actions())
              .resources(resources)
              .build());
    }
    return out;
  }

  public Role deployRole() {
    return deployRole;
  }

  public Role executionRole() {
    return executionRole;
  }

  public Role readOnlyRole() {
    return readOnlyRole;
  }
}
