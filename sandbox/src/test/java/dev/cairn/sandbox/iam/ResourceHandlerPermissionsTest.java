package dev.cairn.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceHandlerPermissionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A = "111111111111";
  private static final String R = "us-east-1";

  private static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> calls(String type, String op, String id, String properties) {
    return ResourceHandlerPermissions.of(type, op, id, json(properties), A, R).stream()
        .map(p -> p.action() + " " + p.resourceArn())
        .toList();
  }

  @Test
  void lambdaFunction_create_passesItsRole_readsItsCode_andNamesTheFunction() {
    String fn = "arn:aws:lambda:us-east-1:111111111111:function:hello-stage-api-Handler-ABC";
    assertThat(
            calls(
                "AWS::Lambda::Function",
                "CREATE",
                "hello-stage-api-Handler-ABC",
                """
                {"Role": "arn:aws:iam::111111111111:role/hello-stage-api-Role-X",
                 "Code": {"S3Bucket": "assets", "S3Key": "abc.zip"}}
                """))
        .containsExactly(
            "lambda:CreateFunction " + fn,
            "iam:PassRole arn:aws:iam::111111111111:role/hello-stage-api-Role-X",
            "s3:GetObject arn:aws:s3:::assets/abc.zip",
            "lambda:GetFunction " + fn);
    assertThat(
            ResourceHandlerPermissions.of(
                    "AWS::Lambda::Function",
                    "CREATE",
                    "f",
                    json("{\"Role\": \"arn:aws:iam::111111111111:role/r\"}"),
                    A,
                    R)
                .get(1)
                .context())
        .containsEntry("iam:PassedToService", "lambda.amazonaws.com");
  }

  @Test
  void dynamoDbTable_withPointInTimeRecovery_updatesContinuousBackups() {
    String t = "arn:aws:dynamodb:us-east-1:111111111111:table/hello-stage-data-Greetings-ABC";
    assertThat(
            calls(
                "AWS::DynamoDB::Table",
                "CREATE",
                "hello-stage-data-Greetings-ABC",
                "{\"PointInTimeRecoverySpecification\": {\"PointInTimeRecoveryEnabled\": true}}"))
        .containsExactly(
            "dynamodb:CreateTable " + t,
            "dynamodb:DescribeTable " + t,
            "dynamodb:UpdateContinuousBackups " + t,
            "dynamodb:DescribeContinuousBackups " + t);
    assertThat(calls("AWS::DynamoDB::Table", "DELETE", "hello-stage-data-Greetings-ABC", "{}"))
        .containsExactly("dynamodb:DeleteTable " + t, "dynamodb:DescribeTable " + t);
  }

  @Test
  void iamRoleAndPolicy_actOnTheRole() {
    String role = "arn:aws:iam::111111111111:role/hello-stage-api-Role-X";
    assertThat(
            calls(
                "AWS::IAM::Role",
                "CREATE",
                "hello-stage-api-Role-X",
                "{\"ManagedPolicyArns\": [\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"]}"))
        .containsExactly(
            "iam:CreateRole " + role, "iam:AttachRolePolicy " + role, "iam:GetRole " + role);
    assertThat(
            calls(
                "AWS::IAM::Policy",
                "CREATE",
                "hello-stage-api-Polic-X",
                "{\"PolicyName\": \"P\", \"Roles\": [\"hello-stage-api-Role-X\"]}"))
        .containsExactly("iam:PutRolePolicy " + role, "iam:GetRolePolicy " + role);
    assertThat(calls("AWS::CDK::Metadata", "CREATE", "x", "{}")).isEmpty();
  }

  @Test
  void anUnknownType_isRefusedByName() {
    assertThatThrownBy(() -> calls("AWS::SQS::Queue", "CREATE", "q", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AWS::SQS::Queue");
  }

  @Test
  void anUnresolvedRole_isRefused() {
    assertThatThrownBy(
            () ->
                calls(
                    "AWS::Lambda::Function",
                    "CREATE",
                    "f",
                    "{\"Role\": {\"Fn::ImportValue\": \"x\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Role");
  }
}
