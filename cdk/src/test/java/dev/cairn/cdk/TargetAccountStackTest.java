package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class TargetAccountStackTest {

  static CairnTargetAccountStack prod;
  static Template template;
  static JsonNode json;

  @BeforeAll
  static void synth() {
    List<CairnTargetAccountStack> targets = TestApps.shared().targets();
    assertThat(targets).hasSize(2);
    prod = targets.get(1);
    template = TestApps.template(prod);
    json = TestApps.json(prod);
  }

  @Test
  void stacksLiveInTheirEnvironmentAccounts() {
    assertThat(TestApps.shared().targets().get(0).getAccount()).isEqualTo("222222222222");
    assertThat(prod.getAccount()).isEqualTo("333333333333");
    assertThat(prod.getRegion()).isEqualTo("us-east-1");
  }

  @Test
  void deployRole_trustsOnlyToolsDeployerAndFinalizer_withOneHourMax() {
    JsonNode role = resource("DeployRole");
    assertThat(role.at("/Properties/RoleName").asText()).isEqualTo("cairn-prod-deploy");
    assertThat(role.at("/Properties/MaxSessionDuration").asInt()).isEqualTo(3600);
    JsonNode trust = role.at("/Properties/AssumeRolePolicyDocument/Statement");
    List<String> principals = new java.util.ArrayList<>();
    for (JsonNode st : trust) {
      assertThat(st.get("Action").asText()).isEqualTo("sts:AssumeRole");
      assertThat(st.get("Effect").asText()).isEqualTo("Allow");
      assertThat(st.get("Principal").size()).as("only AWS principals").isEqualTo(1);
      principals.addAll(IamPolicies.strings(st.at("/Principal/AWS")));
    }
    assertThat(principals)
        .containsExactlyInAnyOrder(
            "arn:aws:iam::111111111111:role/cairn-deployer-lambda",
            "arn:aws:iam::111111111111:role/cairn-finalizer-lambda");
  }

  @Test
  void deployRole_allowsExactlyTheSpecActions_onPrefixedStacks_andPassRoleOnlyForExecutionRole() {
    String owner = logicalId("DeployRole");
    List<IamPolicies.Owned> statements = IamPolicies.statementsOf(json, owner);
    assertThat(statements).hasSize(6);
    IamPolicies.Owned cfn = statements.get(0);
    assertThat(cfn.actions())
        .containsExactlyInAnyOrder(
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:Describe*",
            "cloudformation:DetectStackDrift",
            "cloudformation:SetStackPolicy",
            "cloudformation:UpdateTerminationProtection",
            "cloudformation:DeleteStack");
    assertThat(cfn.resources())
        .containsExactly("arn:aws:cloudformation:us-east-1:333333333333:stack/myapp-prod-*/*");
    IamPolicies.Owned pass = statements.get(1);
    assertThat(pass.actions()).containsExactly("iam:PassRole");
    assertThat(pass.resources())
        .containsExactly("arn:aws:iam::333333333333:role/cairn-prod-cfn-exec");
    assertThat(pass.statement().at("/Condition/StringEquals/iam:PassedToService").asText())
        .isEqualTo("cloudformation.amazonaws.com");
  }

  @Test
  void deployRole_readsStackTemplatesOnlyFromItsOwnAccountsBootstrapBucket() {
    // CloudFormation fetches TemplateURL with the deploy role's credentials; the template is where
    // cdk-assets published it in this account, never in the tools account. The deployer reads and
    // hashes it first, then gives the version it hashed (?versionId=: s3:GetObjectVersion).
    IamPolicies.Owned templates = IamPolicies.statementsOf(json, logicalId("DeployRole")).get(2);
    assertThat(templates.statement().path("Sid").asText())
        .isEqualTo("ReadStackTemplatesFromBootstrapBucket");
    assertThat(templates.allows()).isTrue();
    assertThat(templates.actions()).containsExactly("s3:GetObject", "s3:GetObjectVersion");
    assertThat(templates.resources())
        .containsExactly("arn:aws:s3:::cdk-hnb659fds-assets-333333333333-us-east-1/*");
  }

  /** config bootstrap_qualifier: every bootstrap grant names it, none the default's. */
  @Test
  void bootstrapGrants_followTheConfiguredQualifier() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode c =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            TestApps.JSON.readTree(
                java.nio.file.Files.readString(
                    TestApps.repoRoot().resolve("cdk/cairn.config.example.json")));
    c.put("bootstrap_qualifier", "acme01");
    CairnTargetAccountStack target =
        TestApps.build(dev.cairn.cdk.config.CairnConfigLoader.fromTree(c, "test")).targets().get(1);
    JsonNode t = TestApps.json(target);
    String deployRole = null;
    String readOnlyRole = null;
    for (java.util.Iterator<String> it = t.get("Resources").fieldNames(); it.hasNext(); ) {
      String id = it.next();
      if (id.matches("DeployRole[0-9A-F]{8}")) {
        deployRole = id;
      } else if (id.matches("ReadOnlyRole[0-9A-F]{8}")) {
        readOnlyRole = id;
      }
    }
    List<IamPolicies.Owned> deploy = IamPolicies.statementsOf(t, deployRole);
    assertThat(deploy.get(2).resources())
        .containsExactly("arn:aws:s3:::cdk-acme01-assets-333333333333-us-east-1/*");
    assertThat(deploy.get(3).statement().path("Sid").asText()).isEqualTo("ReadBootstrapVersion");
    assertThat(deploy.get(3).resources())
        .containsExactly(
            "arn:aws:ssm:us-east-1:333333333333:parameter/cdk-bootstrap/acme01/version");
    List<String> readOnly = new java.util.ArrayList<>();
    IamPolicies.statementsOf(t, readOnlyRole).forEach(st -> readOnly.addAll(st.resources()));
    assertThat(readOnly)
        .contains(
            "arn:aws:s3:::cdk-acme01-assets-333333333333-us-east-1/*",
            "arn:aws:ecr:us-east-1:333333333333:repository/cdk-acme01-container-assets-"
                + "333333333333-us-east-1");
    assertThat(t.toString()).doesNotContain("hnb659fds");
  }

  @Test
  void deployRole_readsTheBootstrapVersionAndDriftStatus() {
    List<IamPolicies.Owned> statements = IamPolicies.statementsOf(json, logicalId("DeployRole"));
    IamPolicies.Owned version = statements.get(3);
    assertThat(version.statement().path("Sid").asText()).isEqualTo("ReadBootstrapVersion");
    assertThat(version.actions()).containsExactly("ssm:GetParameter");
    assertThat(version.resources())
        .containsExactly(
            "arn:aws:ssm:us-east-1:333333333333:parameter/cdk-bootstrap/hnb659fds/version");
    IamPolicies.Owned drift = statements.get(4);
    assertThat(drift.statement().path("Sid").asText()).isEqualTo("ReadDriftDetectionStatus");
    assertThat(drift.resources()).containsExactly("*");
  }

  @Test
  void deployPolicies_haveNoBareOrServiceWideWildcards() {
    for (CairnTargetAccountStack target : TestApps.shared().targets()) {
      JsonNode t = TestApps.json(target);
      for (IamPolicies.Owned st : IamPolicies.statements(t)) {
        if (st.owner().startsWith("WorkloadBoundary")) {
          // Not a deploy policy: it grants nothing, it caps the roles the templates create (whose
          // grants are the application's) to this account without IAM writes. Pinned in
          // workloadBoundary_namedForTheEnvironment_thisAccountOnly_noIamWrites.
          continue;
        }
        for (String action : st.actions()) {
          assertThat(action).as("action in %s", st.owner()).isNotEqualTo("*");
          assertThat(action).as("action in %s", st.owner()).doesNotMatch("^[a-z0-9-]+:\\*$");
          if (action.contains("*")) {
            assertThat(action)
                .as("only the spec's Describe* pattern")
                .isEqualTo("cloudformation:Describe*");
          }
        }
        if (st.allows()) {
          if (st.actions().equals(List.of("cloudformation:DescribeStackDriftDetectionStatus"))) {
            // No resource type in the Service Authorization Reference: * is the only form.
            assertThat(st.resources()).containsExactly("*");
            continue;
          }
          for (String resource : st.resources()) {
            assertThat(resource).as("resource in %s", st.owner()).isNotEqualTo("*");
            boolean verifierReadsAssets = st.owner().startsWith("ReadOnlyRole");
            boolean cloudFormationReadsTemplates =
                st.owner().startsWith("DeployRole")
                    && st.actions().equals(List.of("s3:GetObject", "s3:GetObjectVersion"));
            boolean lambdaReadsFunctionCode =
                st.owner().startsWith("ExecutionRole")
                    && st.actions().equals(List.of("s3:GetObject"));
            if ((verifierReadsAssets || cloudFormationReadsTemplates || lambdaReadsFunctionCode)
                && resource.matches("arn:aws:s3:::cdk-hnb659fds-assets-\\d{12}-[a-z0-9-]+/\\*")) {
              // Published CDK asset objects (stack templates included) are named by content hash,
              // known only when CI publishes them, so the verifier (read-only role) and
              // CloudFormation fetching TemplateURL as the deploy role (s3:GetObject and, for a
              // pinned version, s3:GetObjectVersion), and
              // Lambda reading a function's code as the execution role (s3:GetObject only) read
              // <asset bucket>/* and nothing more.
              continue;
            }
            if (resource.contains("*")) {
              assertThat(resource)
                  .as("wildcard resources only after the stack-name prefix")
                  .matches(
                      ".*(stack/myapp-(stage|prod)-\\*/\\*|:(function:|log-group:/aws/lambda/|role/)myapp-(stage|prod)-\\*)$");
            }
          }
        }
      }
    }
  }

  @Test
  void executionRole_permissionsFromConfig_notAdministrator_withBoundary() {
    JsonNode role = resource("ExecutionRole");
    assertThat(role.at("/Properties/RoleName").asText()).isEqualTo("cairn-prod-cfn-exec");
    assertThat(role.at("/Properties").has("ManagedPolicyArns")).isFalse();
    assertThat(
            role.at("/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText())
        .isEqualTo("cloudformation.amazonaws.com");
    assertThat(role.at("/Properties/PermissionsBoundary/Ref").asText())
        .startsWith("ExecutionRoleBoundary");
    assertThat(json.toString()).doesNotContain("AdministratorAccess");
    List<String> actions =
        IamPolicies.statementsOf(json, logicalId("ExecutionRole")).stream()
            .flatMap(s -> s.actions().stream())
            .toList();
    assertThat(actions).contains("lambda:CreateFunction", "logs:CreateLogGroup", "iam:CreateRole");
  }

  @Test
  void executionRole_andItsBoundary_readFunctionCodeFromTheBootstrapBucketOnly() {
    String assets = "arn:aws:s3:::cdk-hnb659fds-assets-333333333333-us-east-1/*";
    JsonNode policy =
        resource("ExecutionRole").at("/Properties/Policies/0/PolicyDocument/Statement");
    JsonNode read = StatefulStackTest.statement(policy, "ReadFunctionCodeFromBootstrapBucket");
    assertThat(read.get("Action").asText()).isEqualTo("s3:GetObject");
    assertThat(read.get("Resource").asText()).isEqualTo(assets);
    JsonNode boundary =
        resource("ExecutionRoleBoundary").at("/Properties/PolicyDocument/Statement");
    assertThat(
            StatefulStackTest.statement(boundary, "ReadFunctionCodeFromBootstrapBucket")
                .get("Resource")
                .asText())
        .isEqualTo(assets);
  }

  @Test
  void boundary_deniesIamOutsidePrefix_cairnRoles_andAccountSettings() {
    JsonNode doc = resource("ExecutionRoleBoundary").at("/Properties/PolicyDocument/Statement");
    JsonNode outside = StatefulStackTest.statement(doc, "DenyIamOutsidePrefix");
    assertThat(outside.get("Effect").asText()).isEqualTo("Deny");
    assertThat(IamPolicies.strings(outside.get("NotResource")))
        .contains("arn:aws:iam::333333333333:role/myapp-prod-*");
    JsonNode cairn = StatefulStackTest.statement(doc, "DenyChangesToCairnRoles");
    assertThat(IamPolicies.strings(cairn.get("Resource")))
        .contains(
            "arn:aws:iam::333333333333:role/cairn-prod-deploy",
            "arn:aws:iam::333333333333:role/cairn-prod-cfn-exec",
            "arn:aws:iam::333333333333:role/cairn-prod-readonly");
    JsonNode account = StatefulStackTest.statement(doc, "DenyOrganizationAndAccountSettings");
    assertThat(IamPolicies.strings(account.get("Action")))
        .contains("organizations:LeaveOrganization", "account:PutAlternateContact");
  }

  @Test
  void deployRole_mayCreateChangeSetsOnTheSamTransformOnly() {
    JsonNode policy = resource("DeployRole").at("/Properties/Policies/0/PolicyDocument/Statement");
    JsonNode sam = StatefulStackTest.statement(policy, "ExpandTheSamTransform");
    assertThat(sam.get("Effect").asText()).isEqualTo("Allow");
    assertThat(IamPolicies.strings(sam.get("Action")))
        .containsExactly("cloudformation:CreateChangeSet");
    assertThat(IamPolicies.strings(sam.get("Resource")))
        .containsExactly("arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31");
  }

  @Test
  void boundary_passRoleOutsidePrefix_onlyServiceLinkedRolesOfThisAccount() {
    JsonNode doc = resource("ExecutionRoleBoundary").at("/Properties/PolicyDocument/Statement");
    JsonNode outside = StatefulStackTest.statement(doc, "DenyIamOutsidePrefix");
    assertThat(IamPolicies.strings(outside.get("Action")))
        .doesNotContain("iam:PassRole")
        .contains("iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy");
    assertThat(IamPolicies.strings(outside.get("NotResource")))
        .noneMatch(r -> r.contains("aws-service-role"));
    JsonNode pass = StatefulStackTest.statement(doc, "DenyPassRoleOutsidePrefix");
    assertThat(pass.get("Effect").asText()).isEqualTo("Deny");
    assertThat(IamPolicies.strings(pass.get("Action"))).containsExactly("iam:PassRole");
    assertThat(IamPolicies.strings(pass.get("NotResource")))
        .containsExactlyInAnyOrder(
            "arn:aws:iam::333333333333:role/myapp-prod-*",
            "arn:aws:iam::333333333333:role/aws-service-role/*");
  }

  @Test
  void boundary_rolesOnlyWithTheWorkloadBoundary_noBoundaryRemoved_managedPoliciesAllowListed() {
    String workload = "arn:aws:iam::333333333333:policy/cairn-prod-workload-boundary";
    JsonNode doc = resource("ExecutionRoleBoundary").at("/Properties/PolicyDocument/Statement");
    JsonNode roles = StatefulStackTest.statement(doc, "DenyRolesWithoutTheWorkloadBoundary");
    assertThat(roles.get("Effect").asText()).isEqualTo("Deny");
    assertThat(IamPolicies.strings(roles.get("Action")))
        .contains(
            "iam:CreateRole",
            "iam:PutRolePermissionsBoundary",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy");
    assertThat(roles.at("/Condition/StringNotEquals/iam:PermissionsBoundary").asText())
        .isEqualTo(workload);
    JsonNode removal = StatefulStackTest.statement(doc, "DenyRemovingABoundary");
    assertThat(removal.get("Effect").asText()).isEqualTo("Deny");
    assertThat(IamPolicies.strings(removal.get("Action")))
        .containsExactly("iam:DeleteRolePermissionsBoundary");
    JsonNode managed = StatefulStackTest.statement(doc, "DenyManagedPoliciesNotAllowListed");
    List<String> allowed = IamPolicies.strings(managed.at("/Condition/ArnNotLike/iam:PolicyARN"));
    assertThat(allowed)
        .contains(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::333333333333:policy/myapp-prod-*")
        .noneMatch(a -> a.contains("AdministratorAccess") || a.contains("IAMFullAccess"));
  }

  @Test
  void workloadBoundary_namedForTheEnvironment_thisAccountOnly_noIamWrites() {
    JsonNode boundary = resource("WorkloadBoundary");
    assertThat(boundary.at("/Properties/ManagedPolicyName").asText())
        .isEqualTo("cairn-prod-workload-boundary");
    JsonNode doc = boundary.at("/Properties/PolicyDocument/Statement");
    assertThat(
            StatefulStackTest.statement(doc, "ThisAccountsResourcesOnly")
                .at("/Condition/StringEqualsIfExists/aws:ResourceAccount")
                .asText())
        .isEqualTo("333333333333");
    assertThat(IamPolicies.strings(StatefulStackTest.statement(doc, "DenyIamWrites").get("Action")))
        .contains("iam:CreateRole", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary");
  }

  @Test
  void readOnlyRole_trustsTheThreeReaders_andOnlyReads() {
    JsonNode role = resource("ReadOnlyRole");
    List<String> principals = new java.util.ArrayList<>();
    role.at("/Properties/AssumeRolePolicyDocument/Statement")
        .forEach(st -> st.at("/Principal/AWS").forEach(a -> principals.add(a.asText())));
    if (principals.isEmpty()) {
      role.at("/Properties/AssumeRolePolicyDocument/Statement")
          .forEach(st -> principals.add(st.at("/Principal/AWS").asText()));
    }
    assertThat(principals)
        .containsExactlyInAnyOrder(
            "arn:aws:iam::111111111111:role/cairn-finalizer-lambda",
            "arn:aws:iam::111111111111:role/cairn-deployer-lambda",
            "arn:aws:iam::111111111111:role/cairn-manifest-verifier-lambda");
    List<String> actions =
        IamPolicies.statementsOf(json, logicalId("ReadOnlyRole")).stream()
            .flatMap(s -> s.actions().stream())
            .toList();
    assertThat(actions)
        .allMatch(
            a ->
                a.matches("cloudformation:(Describe|List|Get)[A-Za-z]+")
                    || a.equals("cloudwatch:DescribeAlarms")
                    || a.equals("cloudwatch:DescribeAlarmHistory")
                    || a.equals("s3:GetObject")
                    || a.equals("ecr:DescribeImages"));
  }

  private static JsonNode resource(String prefix) {
    return json.get("Resources").get(logicalId(prefix));
  }

  private static String logicalId(String prefix) {
    var it = json.get("Resources").fieldNames();
    while (it.hasNext()) {
      String id = it.next();
      if (id.startsWith(prefix) && id.substring(prefix.length()).matches("[0-9A-F]{8}")) {
        return id;
      }
    }
    throw new AssertionError("no resource " + prefix);
  }
}
