package dev.cairn.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link IamPolicies} on Cairn's real synthesized assembly: what it collects, and what the
 * independent evaluator decides with it. Nothing here copies a policy: removing a grant from the
 * CDK code fails these tests.
 */
class IamPoliciesTest {

  static final String TOOLS = "000000000000";
  static final String STAGE = "111111111111";
  static final String PROD = "222222222222";
  static final String DEPLOYER = role(TOOLS, "cairn-deployer-lambda");
  static final String FINALIZER = role(TOOLS, "cairn-finalizer-lambda");
  static final String VERIFIER = role(TOOLS, "cairn-manifest-verifier-lambda");
  static final String SWEEPER = role(TOOLS, "cairn-sweeper-lambda");
  static final String ANCHORER = role(TOOLS, "cairn-audit-anchorer-lambda");
  static final String CI = role(TOOLS, "cdk-ci-artifact-builder");
  static final String STAGE_DEPLOY = role(STAGE, "cairn-stage-deploy");
  static final String STAGE_EXEC = role(STAGE, "cairn-stage-cfn-exec");
  static final String METADATA_TABLE =
      "arn:aws:dynamodb:us-east-1:" + TOOLS + ":table/cdk-artifact-metadata";
  static final String AUDIT_TABLE = "arn:aws:dynamodb:us-east-1:" + TOOLS + ":table/cdk-audit-log";
  static final String CANDIDATE_OBJECT =
      "arn:aws:s3:::cdk-artifacts-candidate/hello-service/"
          + "0123456789abcdef0123456789abcdef01234567/artifact-manifest.json";
  static final String STAGE_ASSET =
      "arn:aws:s3:::cdk-hnb659fds-assets-" + STAGE + "-us-east-1/4d40ccace21c.zip";

  static ControlPlaneAssembly assembly;
  static IamPolicies policies;
  static IamEvaluator evaluator;

  @BeforeAll
  static void load() {
    assembly = ControlPlaneAssembly.fromClasspath();
    policies = new IamPolicies(assembly);
  }

  static String role(String account, String name) {
    return "arn:aws:iam::" + account + ":role/" + name;
  }

  static IamEvaluator evaluator() {
    assumeFalse(Boolean.getBoolean("iam.check.skip"), "built with -Diam.check.skip=true");
    if (evaluator == null) {
      evaluator =
          IamEvaluator.locate(Path.of(""))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "node on PATH and sandbox/iam-check/node_modules are needed: run npm ci"
                              + " in sandbox/iam-check"));
    }
    return evaluator;
  }

  private static IamDecision decide(String principal, String action, String resource) {
    return decide(new RecordedCall(principal, action, resource));
  }

  private static IamDecision decide(RecordedCall call) {
    return evaluator().evaluate(List.of(policies.request(call))).get(0);
  }

  // --- what is collected ------------------------------------------------------------------------

  @Test
  void identityPolicies_ofDeployer_includeItsDefaultPolicyByName() {
    assertThat(policies.identityPolicies(DEPLOYER))
        .extracting(p -> p.path("name").asText())
        .anyMatch(n -> n.startsWith("DeployerRoleDefaultPolicy"));
  }

  @Test
  void identityPolicies_ofTargetRole_includeItsInlinePolicy() {
    assertThat(policies.identityPolicies(STAGE_DEPLOY))
        .extracting(p -> p.path("name").asText())
        .containsExactly("CairnDeployPolicy");
  }

  @Test
  void identityPolicies_ofUnknownRole_fail() {
    assertThatThrownBy(() -> policies.identityPolicies(role(TOOLS, "nobody")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
  }

  @Test
  void boundary_ofExecutionRole_isTheManagedBoundaryOfItsAccount() {
    JsonNode boundary = policies.boundary(STAGE_EXEC);
    assertThat(boundary).isNotNull();
    assertThat(boundary.toString()).contains("DenyChangesToCairnRoles", STAGE + ":role/");
    assertThat(policies.boundary(DEPLOYER)).isNull();
  }

  @Test
  void resourcePolicy_ofAssumeRole_isTheTrustPolicy() {
    assertThat(policies.resourcePolicy(STAGE_DEPLOY, "sts:AssumeRole"))
        .isEqualTo(policies.trustPolicy(STAGE_DEPLOY));
    assertThat(policies.trustPolicy(STAGE_DEPLOY).toString()).contains(DEPLOYER);
  }

  @Test
  void resourcePolicy_ofBucketObjectAndBucket_isTheBucketPolicy() {
    JsonNode policy = policies.resourcePolicy(CANDIDATE_OBJECT, "s3:GetObject");
    assertThat(policy.toString()).contains("aws:SecureTransport");
    assertThat(policies.resourcePolicy("arn:aws:s3:::cdk-artifacts-candidate", "s3:ListBucket"))
        .isEqualTo(policy);
  }

  @Test
  void resourcePolicy_ofBootstrapBucket_isCdkBootstrapTlsOnlyPolicy() {
    JsonNode policy = policies.resourcePolicy(STAGE_ASSET, "s3:GetObject");
    assertThat(policy.path("Statement")).hasSize(1);
    assertThat(policy.path("Statement").get(0).path("Sid").asText())
        .isEqualTo("AllowSSLRequestsOnly");
    assertThat(policy.path("Statement").get(0).path("Effect").asText()).isEqualTo("Deny");
  }

  @Test
  void resourcePolicy_ofKmsKeyAndTopic_areTheirPolicies() {
    String topicKey = assembly.stack("CairnControlPlane").getAtt("TopicKeyB2E0C9CB", "Arn");
    assertThat(policies.resourcePolicy(topicKey, "kms:Decrypt").toString())
        .contains("cloudwatch.amazonaws.com");
    String topic = assembly.stack("CairnControlPlane").ref("AlertTopic2720D535");
    assertThat(policies.resourcePolicy(topic, "sns:Publish").toString())
        .contains("AllowPublishThroughSSLOnly");
  }

  @Test
  void resourcePolicy_ofFinalizerAlias_isTheLambdaPermissionForTheEventRule() {
    String alias = assembly.function("finalizer").invokeArns().get(2);
    JsonNode statement = policies.resourcePolicy(alias, "lambda:InvokeFunction").path("Statement");
    assertThat(statement).hasSize(1);
    assertThat(statement.get(0).path("Principal").path("Service").asText())
        .isEqualTo("events.amazonaws.com");
    assertThat(statement.get(0).path("Condition").path("ArnLike").path("aws:SourceArn").asText())
        .startsWith("arn:aws:events:us-east-1:" + TOOLS + ":rule/");
  }

  @Test
  void accountOf_readsArnsAndBuckets() {
    assertThat(policies.accountOf(METADATA_TABLE)).isEqualTo(TOOLS);
    assertThat(policies.accountOf(CANDIDATE_OBJECT)).isEqualTo(TOOLS);
    assertThat(policies.accountOf(STAGE_ASSET)).isEqualTo(STAGE);
    assertThat(policies.accountOf(STAGE_DEPLOY)).isEqualTo(STAGE);
    assertThatThrownBy(() -> policies.accountOf("arn:aws:s3:::somebody-elses-bucket/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("somebody-elses-bucket");
  }

  @Test
  void request_addsSecureTransportPrincipalArnAndTheCallsContext() {
    IamRequest request =
        policies.request(
            new RecordedCall(
                DEPLOYER,
                "s3:PutObject",
                "arn:aws:s3:::cdk-artifacts-release/hello-service/x",
                Map.of("s3:if-none-match", "*")));
    assertThat(request.context())
        .containsEntry("aws:SecureTransport", "true")
        .containsEntry("aws:PrincipalArn", DEPLOYER)
        .containsEntry("s3:if-none-match", "*");
    assertThat(request.resourceAccount()).isEqualTo(TOOLS);
    assertThat(request.identityPolicies()).isEqualTo(policies.identityPolicies(DEPLOYER));
    assertThat(request.resourcePolicy()).isNotNull();
  }

  @Test
  void request_whenRoleHasAwsManagedPolicy_failsNamingIt() {
    String awsManaged = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    JsonNode template =
        json(
            """
            {"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
              "RoleName": "with-managed",
              "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
              "ManagedPolicyArns": ["%s"]}}}}
            """
                .formatted(awsManaged));
    IamPolicies withManaged = new IamPolicies(ControlPlaneAssembly.load(singleStack(template)));
    String roleArn = role(TOOLS, "with-managed");
    assertThat(withManaged.unknownManagedPolicies(roleArn)).containsExactly(awsManaged);
    assertThatThrownBy(() -> withManaged.request(new RecordedCall(roleArn, "s3:GetObject", "*")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(awsManaged);
  }

  private static JsonNode json(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ControlPlaneAssembly.Source singleStack(JsonNode template) {
    String manifest =
        """
        {"version": "36.0.0", "artifacts": {"Only": {"type": "aws:cloudformation:stack",
          "environment": "aws://%s/us-east-1", "properties": {"templateFile": "Only.template.json"}}}}
        """
            .formatted(TOOLS);
    return file ->
        (file.equals("manifest.json") ? manifest : template.toString())
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  // --- decisions on the real policies -----------------------------------------------------------

  /**
   * DynamoDbDeploymentLedger's TransactWriteItems for a transition: the Update of the artifact
   * record, the Put of the audit entry and the Put of the audit head. IAM authorizes each item on
   * its own table.
   */
  @Test
  void deployer_mayTransactWriteATransition_itemByItem_butNeverCreateOrEditAuditEntries() {
    List<IamDecision> decisions =
        evaluator()
            .evaluate(
                List.of(
                    policies.request(
                        new RecordedCall(DEPLOYER, "dynamodb:UpdateItem", METADATA_TABLE)),
                    policies.request(new RecordedCall(DEPLOYER, "dynamodb:PutItem", AUDIT_TABLE)),
                    policies.request(
                        new RecordedCall(DEPLOYER, "dynamodb:PutItem", METADATA_TABLE)),
                    policies.request(
                        new RecordedCall(DEPLOYER, "dynamodb:UpdateItem", AUDIT_TABLE))));
    assertThat(decisions.subList(0, 2))
        .allSatisfy(d -> assertThat(d.decision()).as(d.statement()).isEqualTo("Allowed"));
    // Only the registrar creates records; nobody updates the audit log in place.
    assertThat(decisions.subList(2, 4))
        .allSatisfy(d -> assertThat(d.allowed()).as(d.statement()).isFalse());
  }

  @Test
  void request_ofTransactWriteItems_failsNamingThePerItemActions() {
    assertThatThrownBy(
            () ->
                policies.request(
                    new RecordedCall(DEPLOYER, "dynamodb:TransactWriteItems", METADATA_TABLE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dynamodb:PutItem")
        .hasMessageContaining("per item");
  }

  @Test
  void verifier_mayGetACandidateObject() {
    IamDecision d = decide(VERIFIER, "s3:GetObject", CANDIDATE_OBJECT);
    assertThat(d.decision()).as(d.statement()).isEqualTo("Allowed");
  }

  @Test
  void deployer_mayAssumeTheStageDeployRole_byItsTrustPolicy() {
    IamDecision d = decide(DEPLOYER, "sts:AssumeRole", STAGE_DEPLOY);
    assertThat(d.decision()).as(d.statement()).isEqualTo("Allowed");
  }

  @Test
  void sweeper_mayNotAssumeTheStageDeployRole() {
    IamDecision d = decide(SWEEPER, "sts:AssumeRole", STAGE_DEPLOY);
    assertThat(d.allowed()).as(d.statement()).isFalse();
  }

  @Test
  void stageDeployRole_mayCreateChangeSetOnItsPrefixedStack() {
    IamDecision d =
        decide(
            STAGE_DEPLOY,
            "cloudformation:CreateChangeSet",
            "arn:aws:cloudformation:us-east-1:"
                + STAGE
                + ":stack/hello-stage-api/4b1e0f70-93a1-11ef-8c2a-0a1b2c3d4e5f");
    assertThat(d.decision())
        .as(d.statement())
        .isEqualTo("DeployPrefixedStacksOnly".isEmpty() ? "" : "Allowed");
    assertThat(d.statement()).contains("DeployPrefixedStacksOnly");
  }

  @Test
  void ci_mayPutACandidateObject_onlyWithTls_andOnlyAsANewKey() {
    IamDecision tls =
        decide(
            new RecordedCall(
                CI, "s3:PutObject", CANDIDATE_OBJECT, Map.of("s3:if-none-match", "*")));
    assertThat(tls.decision()).as(tls.statement()).isEqualTo("Allowed");
    IamDecision plain =
        decide(
            new RecordedCall(
                CI,
                "s3:PutObject",
                CANDIDATE_OBJECT,
                Map.of("s3:if-none-match", "*", "aws:SecureTransport", "false")));
    assertThat(plain.decision()).as(plain.statement()).isEqualTo("ExplicitlyDenied");
    // Without If-None-Match the write could replace an object: the bucket policy refuses it.
    IamDecision overwrite = decide(CI, "s3:PutObject", CANDIDATE_OBJECT);
    assertThat(overwrite.decision()).as(overwrite.statement()).isEqualTo("ExplicitlyDenied");
    assertThat(overwrite.statement()).contains("DenyWritesThatCouldOverwrite");
  }

  @Test
  void verifier_mayReadPublishedAssets_inTheStageBootstrapBucket_throughTheReadOnlyRole() {
    IamDecision assume = decide(VERIFIER, "sts:AssumeRole", role(STAGE, "cairn-stage-readonly"));
    IamDecision read = decide(role(STAGE, "cairn-stage-readonly"), "s3:GetObject", STAGE_ASSET);
    assertThat(assume.decision()).as(assume.statement()).isEqualTo("Allowed");
    assertThat(read.decision()).as(read.statement()).isEqualTo("Allowed");
  }

  @Test
  void executionRole_mayNotChangeTheDeployRole_byItsBoundary() {
    IamDecision d = decide(STAGE_EXEC, "iam:PutRolePolicy", STAGE_DEPLOY);
    assertThat(d.decision()).as(d.statement()).isEqualTo("ExplicitlyDenied");
  }

  @Test
  void anchorer_mayPutANewAnchor_neverReplaceOne() {
    String anchor = "arn:aws:s3:::audit-log-anchors/anchors/2026/12/06/a.json";
    IamDecision d =
        decide(new RecordedCall(ANCHORER, "s3:PutObject", anchor, Map.of("s3:if-none-match", "*")));
    assertThat(d.decision()).as(d.statement()).isEqualTo("Allowed");
    IamDecision replace = decide(ANCHORER, "s3:PutObject", anchor);
    assertThat(replace.decision()).as(replace.statement()).isEqualTo("ExplicitlyDenied");
  }
}
