package dev.cairn.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StackPolicyTest {

  static final ResourceChange TABLE_REPLACE =
      new ResourceChange("Modify", "Greetings", "AWS::DynamoDB::Table", "True");
  static final ResourceChange TABLE_MODIFY =
      new ResourceChange("Modify", "Greetings", "AWS::DynamoDB::Table", "False");
  static final ResourceChange TABLE_REMOVE =
      new ResourceChange("Remove", "Greetings", "AWS::DynamoDB::Table", null);
  static final ResourceChange FUNCTION_REPLACE =
      new ResourceChange("Modify", "Handler", "AWS::Lambda::Function", "True");
  static final ResourceChange TABLE_ADD =
      new ResourceChange("Add", "Other", "AWS::DynamoDB::Table", null);

  @Test
  void defaultPolicy_forbidsReplacingOrDeletingStatefulResources() {
    StackPolicy p = StackPolicy.protectingStatefulResources();

    assertThat(p.forbids(TABLE_REPLACE))
        .hasValueSatisfying(r -> assertThat(r).contains("Update:Replace of Greetings"));
    assertThat(p.forbids(TABLE_REMOVE))
        .hasValueSatisfying(r -> assertThat(r).contains("Update:Delete"));
    assertThat(
            p.forbids(
                new ResourceChange("Modify", "Greetings", "AWS::DynamoDB::Table", "Conditional")))
        .isPresent();
  }

  @Test
  void defaultPolicy_allowsInPlaceModifyStatelessReplaceAndAdd() {
    StackPolicy p = StackPolicy.protectingStatefulResources();

    assertThat(p.forbids(TABLE_MODIFY)).isEmpty();
    assertThat(p.forbids(FUNCTION_REPLACE)).isEmpty();
    assertThat(p.forbids(TABLE_ADD)).isEmpty();
  }

  @Test
  void policyWithoutAllow_protectsEverything_asCloudFormationDoes() throws Exception {
    StackPolicy p =
        StackPolicy.parse(
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"Update:Delete\",\"Principal\":\"*\",\"Resource\":\"*\"}]}");

    assertThat(p.forbids(FUNCTION_REPLACE))
        .hasValueSatisfying(r -> assertThat(r).contains("not allowed by any"));
  }

  @Test
  void explicitDenyOnLogicalId_winsOverAllowAll() throws Exception {
    StackPolicy p =
        StackPolicy.parse(
            """
            {"Statement":[
              {"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"},
              {"Effect":"Deny","Action":"Update:*","Principal":"*","Resource":"LogicalResourceId/Handler"}]}
            """);

    assertThat(p.forbids(FUNCTION_REPLACE)).isPresent();
    assertThat(p.forbids(TABLE_REPLACE)).isEmpty();
  }

  @Test
  void notResourceAndStringLike_areHonoured() throws Exception {
    StackPolicy p =
        StackPolicy.parse(
            """
            {"Statement":[
              {"Effect":"Allow","Action":"Update:*","Principal":"*","Resource":"*"},
              {"Effect":"Deny","Action":"Update:Replace","Principal":"*","NotResource":"LogicalResourceId/Scratch*",
               "Condition":{"StringLike":{"ResourceType":["AWS::DynamoDB::*"]}}}]}
            """);

    assertThat(p.forbids(TABLE_REPLACE)).isPresent();
    assertThat(
            p.forbids(new ResourceChange("Modify", "ScratchTable", "AWS::DynamoDB::Table", "True")))
        .isEmpty();
  }

  @Test
  void parse_refusesPrincipalOtherThanWildcard() {
    assertThatThrownBy(
            () ->
                StackPolicy.parse(
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Update:*\",\"Principal\":\"arn:aws:iam::1:root\",\"Resource\":\"*\"}]}"))
        .isInstanceOf(StackPolicy.InvalidStackPolicyException.class);
  }

  @Test
  void deploymentNames_areDeterministicAndValid() {
    String a = DeploymentNames.changeSetName("0123456789abcdef0123456789abcdef01234567", "prod", 1);
    assertThat(a).isEqualTo("cairn-0123456789ab-prod-1").matches("[a-zA-Z][-a-zA-Z0-9]*");
    assertThat(DeploymentNames.clientToken("s", "c", "prod", "st", 1))
        .isEqualTo(DeploymentNames.clientToken("s", "c", "prod", "st", 1))
        .isNotEqualTo(DeploymentNames.clientToken("s", "c", "prod", "st", 2))
        .hasSizeLessThanOrEqualTo(128);
  }

  @Test
  void withDeniesOf_keepsTheEnvironmentsProtectionAndAddsTheArtifactsDenies() throws Exception {
    StackPolicy environment = StackPolicy.protectingStatefulResources();
    StackPolicy shipped =
        StackPolicy.parse(
            "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"Update:Replace\",\"Principal\":\"*\",\"Resource\":\"LogicalResourceId/Handler\"}]}");

    StackPolicy merged = environment.withDeniesOf(shipped);

    assertThat(merged.forbids(TABLE_REPLACE)).isPresent();
    assertThat(merged.forbids(FUNCTION_REPLACE))
        .hasValueSatisfying(r -> assertThat(r).contains("explicitly denied"));
    assertThat(merged.forbids(TABLE_MODIFY)).isEmpty();
    // The document CloudFormation receives is the merged one, not either half.
    assertThat(StackPolicy.parse(merged.document()).forbids(FUNCTION_REPLACE)).isPresent();
    assertThat(StackPolicy.parse(merged.document()).forbids(TABLE_REPLACE)).isPresent();
  }

  @Test
  void withDeniesOf_anArtifactAllowCannotLiftTheEnvironmentsDeny() throws Exception {
    StackPolicy allowAll =
        StackPolicy.parse(
            "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Update:*\",\"Principal\":\"*\",\"Resource\":\"*\"}]}");

    assertThat(allowAll.hasAllow()).isTrue();
    assertThatThrownBy(() -> StackPolicy.protectingStatefulResources().withDeniesOf(allowAll))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
