package dev.cairn.sandbox.iam;

import static dev.cairn.sandbox.iam.IamPoliciesTest.CANDIDATE_OBJECT;
import static dev.cairn.sandbox.iam.IamPoliciesTest.CI;
import static dev.cairn.sandbox.iam.IamPoliciesTest.STAGE;
import static dev.cairn.sandbox.iam.IamPoliciesTest.STAGE_ASSET;
import static dev.cairn.sandbox.iam.IamPoliciesTest.TOOLS;
import static dev.cairn.sandbox.iam.IamPoliciesTest.role;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The target accounts' bootstrap roles as the CDK bootstrap template creates them, and the IAM
 * decisions on what {@code cdk-assets publish} does with them.
 */
class CdkBootstrapTemplateTest {

  static final String FILE_PUBLISHING =
      role(STAGE, "cdk-hnb659fds-file-publishing-role-" + STAGE + "-us-east-1");

  static IamPolicies policies;

  @BeforeAll
  static void load() {
    policies = new IamPolicies(ControlPlaneAssembly.fromClasspath());
  }

  private static IamDecision decide(String principal, String action, String resource) {
    return IamPoliciesTest.evaluator()
        .evaluate(List.of(policies.request(new RecordedCall(principal, action, resource))))
        .get(0);
  }

  @Test
  void bootstrap_withTrust_resolvesTheTemplatesRolesAndBucketPolicy() {
    CdkBootstrapTemplate.Environment env =
        CdkBootstrapTemplate.fromClasspath()
            .bootstrap(STAGE, "us-east-1", "hnb659fds", List.of(TOOLS));

    assertThat(env.bucketName()).isEqualTo("cdk-hnb659fds-assets-" + STAGE + "-us-east-1");
    assertThat(env.roles())
        .containsKeys(
            FILE_PUBLISHING,
            role(STAGE, "cdk-hnb659fds-image-publishing-role-" + STAGE + "-us-east-1"));
    CdkBootstrapTemplate.Role file = env.roles().get(FILE_PUBLISHING);
    // The trusted account may assume it, without an ExternalId (DenyExternalId defaults to true).
    assertThat(file.trustPolicy().toString())
        .contains("\"AWS\":[\"" + TOOLS + "\"]", "sts:ExternalId")
        .doesNotContain("Fn::", "Ref");
    assertThat(file.identityPolicies())
        .extracting(p -> p.path("name").asText())
        .containsExactly(
            "cdk-hnb659fds-file-publishing-role-default-policy-" + STAGE + "-us-east-1");
    assertThat(file.identityPolicies().get(0).toString())
        .contains("arn:aws:s3:::" + env.bucketName() + "/*", "aws:ResourceAccount");
    assertThat(env.bucketPolicy().toString())
        .contains("AllowSSLRequestsOnly", "arn:aws:s3:::" + env.bucketName());
  }

  @Test
  void bootstrap_withoutTrust_trustsOnlyItsOwnAccount() {
    CdkBootstrapTemplate.Role file =
        CdkBootstrapTemplate.fromClasspath()
            .bootstrap(STAGE, "us-east-1", "hnb659fds", List.of())
            .roles()
            .get(FILE_PUBLISHING);

    assertThat(file.trustPolicy().toString()).doesNotContain(TOOLS);
  }

  @Test
  void ciRole_mayAssumeTheFilePublishingRole_whichMayPublishToItsBucketOnly() {
    assertThat(decide(CI, "sts:AssumeRole", FILE_PUBLISHING).allowed()).isTrue();
    assertThat(decide(FILE_PUBLISHING, "s3:PutObject", STAGE_ASSET).allowed()).isTrue();
    assertThat(
            decide(
                    FILE_PUBLISHING,
                    "s3:ListBucket",
                    "arn:aws:s3:::cdk-hnb659fds-assets-" + STAGE + "-us-east-1")
                .allowed())
        .isTrue();
    assertThat(decide(FILE_PUBLISHING, "s3:PutObject", CANDIDATE_OBJECT).allowed()).isFalse();
  }

  @Test
  void ciRole_cannotWriteTheBootstrapBucketItself() {
    assertThat(decide(CI, "s3:PutObject", STAGE_ASSET).allowed()).isFalse();
  }

  @Test
  void aTargetRole_cannotAssumeThePublishingRole_ofAnotherAccount() {
    assertThat(
            decide(
                    role(IamPoliciesTest.PROD, "cairn-prod-deploy"),
                    "sts:AssumeRole",
                    FILE_PUBLISHING)
                .allowed())
        .isFalse();
  }
}
