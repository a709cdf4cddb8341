package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class CiOidcStackTest {

  static CairnCiOidcStack stack;
  static Template template;
  static JsonNode json;

  @BeforeAll
  static void synth() {
    stack = TestApps.shared().ciOidc();
    template = TestApps.template(stack);
    json = TestApps.json(stack);
  }

  @Test
  void githubOidcProvider_forStsAudience() {
    template.hasResourceProperties(
        "AWS::IAM::OIDCProvider",
        Map.of(
            "Url",
            "https://token.actions.githubusercontent.com",
            "ClientIdList",
            List.of("sts.amazonaws.com")));
  }

  @Test
  void ciRole_trust_audIsSts_andSubBoundToExactRepoRefAndWorkflow() {
    JsonNode role = role("cdk-ci-artifact-builder");
    JsonNode trust = role.at("/Properties/AssumeRolePolicyDocument/Statement");
    assertThat(trust).hasSize(1);
    JsonNode st = trust.get(0);
    assertThat(st.get("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    JsonNode eq = st.at("/Condition/StringEquals");
    assertThat(eq.get("token.actions.githubusercontent.com:aud").asText())
        .isEqualTo("sts.amazonaws.com");
    assertThat(eq.get("token.actions.githubusercontent.com:sub").asText())
        .isEqualTo(
            "repo:example-org/cairn:ref:refs/heads/main:job_workflow_ref:"
                + "example-org/cairn/.github/workflows/cairn-ci.yml@refs/heads/main");
    assertThat(st.get("Condition").has("StringLike")).as("no wildcard subject").isFalse();
    assertThat(role.at("/Properties/MaxSessionDuration").asInt()).isEqualTo(3600);
  }

  @Test
  void ciRole_hasExactlyTheSpecPermissions() {
    List<IamPolicies.Owned> statements =
        IamPolicies.statementsOf(json, logicalId(role("cdk-ci-artifact-builder")));
    Map<String, List<String>> bySid = new java.util.LinkedHashMap<>();
    statements.forEach(s -> bySid.put(s.statement().get("Sid").asText(), s.actions()));
    assertThat(bySid)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ReadBlessedContexts",
                List.of("s3:GetObject", "s3:GetObjectVersion"),
                "DecryptBlessedContexts",
                List.of("kms:Decrypt"),
                "PutCandidateArtifacts",
                List.of("s3:PutObject"),
                "EncryptCandidateArtifacts",
                List.of("kms:GenerateDataKey"),
                "SignArtifactManifestOnly",
                List.of("kms:Sign"),
                "RegisterCandidates",
                List.of("lambda:InvokeFunction"),
                "CdkAssetsPublishAll",
                List.of("sts:AssumeRole")));
    IamPolicies.Owned sign =
        statements.stream()
            .filter(s -> s.actions().equals(List.of("kms:Sign")))
            .findFirst()
            .orElseThrow();
    assertThat(sign.resources().toString())
        .contains("ArtifactSignerKey")
        .doesNotContain("ContextSignerKey");
    IamPolicies.Owned get =
        statements.stream()
            .filter(s -> s.actions().equals(List.of("s3:GetObject", "s3:GetObjectVersion")))
            .findFirst()
            .orElseThrow();
    assertThat(get.resources().toString()).contains("ContextsBucket");
    IamPolicies.Owned put =
        statements.stream()
            .filter(s -> s.actions().equals(List.of("s3:PutObject")))
            .findFirst()
            .orElseThrow();
    assertThat(put.resources().toString())
        .contains("CandidateBucket")
        .doesNotContain("ContextsBucket");
  }

  @Test
  void ciRole_writesNoLedger_andInvokesOnlyTheRegistrarsLiveAlias() {
    List<IamPolicies.Owned> statements =
        IamPolicies.statementsOf(json, logicalId(role("cdk-ci-artifact-builder")));
    assertThat(statements.stream().flatMap(s -> s.actions().stream()))
        .noneMatch(a -> a.startsWith("dynamodb:"));
    IamPolicies.Owned invoke =
        statements.stream()
            .filter(s -> s.actions().equals(List.of("lambda:InvokeFunction")))
            .findFirst()
            .orElseThrow();
    assertThat(invoke.resources())
        .singleElement()
        .asString()
        .endsWith(":function:cairn-registrar:live");
  }

  @Test
  void ciRole_hasNoLookupDeployOrIamPermissions() {
    List<String> actions =
        IamPolicies.statementsOf(json, logicalId(role("cdk-ci-artifact-builder"))).stream()
            .flatMap(s -> s.actions().stream())
            .toList();
    assertThat(actions)
        .noneMatch(a -> a.startsWith("ec2:"))
        .noneMatch(a -> a.startsWith("cloudformation:"))
        .noneMatch(a -> a.startsWith("ssm:"))
        .noneMatch(a -> a.startsWith("iam:"))
        .noneMatch(a -> a.contains("*"));
  }

  @Test
  void contextGeneratorRole_canLookUpWriteAndSignContexts_butNotPublishOrDeploy() {
    JsonNode role = role("cdk-context-generator");
    List<String> actions =
        IamPolicies.statementsOf(json, logicalId(role)).stream()
            .flatMap(s -> s.actions().stream())
            .toList();
    assertThat(actions)
        .contains(
            "ec2:Describe*",
            "ssm:GetParameter",
            "cloudformation:DescribeStacks",
            "s3:PutObject",
            "s3:GetObject",
            "s3:ListBucket",
            "kms:Sign")
        .doesNotContain(
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "dynamodb:PutItem",
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet");
    IamPolicies.Owned put =
        IamPolicies.statementsOf(json, logicalId(role)).stream()
            .filter(s -> s.actions().equals(List.of("s3:PutObject")))
            .findFirst()
            .orElseThrow();
    assertThat(put.resources().toString())
        .contains("ContextsBucket")
        .doesNotContain("CandidateBucket");
  }

  private static JsonNode role(String name) {
    for (JsonNode r : json.get("Resources")) {
      if ("AWS::IAM::Role".equals(r.get("Type").asText())
          && name.equals(r.at("/Properties/RoleName").asText())) {
        return r;
      }
    }
    throw new AssertionError("no role " + name);
  }

  private static String logicalId(JsonNode resource) {
    var it = json.get("Resources").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getValue() == resource) {
        return e.getKey();
      }
    }
    throw new AssertionError("not in template");
  }
}
