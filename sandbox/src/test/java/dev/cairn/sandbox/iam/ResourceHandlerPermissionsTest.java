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
    assertThatThrownBy(() -> calls("AWS::Bedrock::Agent", "CREATE", "a", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AWS::Bedrock::Agent");
  }

  @Test
  void schemaType_subnet_create_isAuthorizedOnItselfAndItsVpc_describeOnStar() {
    // aws-ec2-subnet.json handlers.create: ec2:DescribeSubnets, ec2:CreateSubnet, ec2:CreateTags,
    // ec2:ModifySubnetAttribute; CreateSubnet takes the subnet and the VPC (Service Authorization
    // Reference), the VPC named by the VpcId property.
    String subnet = "arn:aws:ec2:us-east-1:111111111111:subnet/Stage-Net-Subnet-X";
    assertThat(
            calls(
                "AWS::EC2::Subnet",
                "CREATE",
                "Stage-Net-Subnet-X",
                "{\"VpcId\": \"Stage-Net-Vpc-Y\", \"CidrBlock\": \"10.0.0.0/24\"}"))
        .contains(
            "ec2:DescribeSubnets *",
            "ec2:CreateSubnet " + subnet,
            "ec2:CreateTags " + subnet,
            "ec2:ModifySubnetAttribute " + subnet);
    assertThat(calls("AWS::EC2::Subnet", "DELETE", "Stage-Net-Subnet-X", "{}"))
        .containsExactly("ec2:DescribeSubnets *", "ec2:DeleteSubnet " + subnet);
  }

  @Test
  void schemaType_route_isAuthorizedOnTheRouteTableItsPropertiesName() {
    assertThat(
            calls(
                "AWS::EC2::Route",
                "CREATE",
                "r",
                "{\"RouteTableId\": \"Stage-Net-Rt-Z\", \"GatewayId\": \"igw\"}"))
        .contains("ec2:CreateRoute arn:aws:ec2:us-east-1:111111111111:route-table/Stage-Net-Rt-Z");
  }

  @Test
  void schemaType_passesOnlyTheRolesItsPropertiesName_andNoServiceLinkedRole() {
    String role = "arn:aws:iam::111111111111:role/Stage-App-TaskRole-X";
    List<String> service =
        calls(
            "AWS::ECS::Service",
            "CREATE",
            "Stage-App-Service-X",
            "{\"Cluster\": \"Stage-App-Cluster-Y\", \"Role\": \"" + role + "\"}");
    assertThat(service)
        .contains(
            "iam:PassRole " + role,
            "ecs:CreateService arn:aws:ecs:us-east-1:111111111111:service/Stage-App-Cluster-Y/"
                + "Stage-App-Service-X")
        .noneMatch(c -> c.startsWith("iam:CreateServiceLinkedRole"));
    assertThat(calls("AWS::ECS::Service", "CREATE", "s", "{\"Cluster\": \"c\"}"))
        .noneMatch(c -> c.startsWith("iam:PassRole"));
  }

  @Test
  void schemaType_aPropertyNamingAResourceThatIsNoLiteral_isRefused() {
    assertThatThrownBy(
            () ->
                calls(
                    "AWS::EC2::Route",
                    "CREATE",
                    "r",
                    "{\"RouteTableId\": {\"Fn::ImportValue\": \"rt\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RouteTableId");
  }

  @Test
  void everyGeneratedPermission_isAnIamActionOnAConcreteArnOrStar() {
    for (String type : ResourceHandlerPermissions.TYPES) {
      if (ResourceHandlerPermissions.HAND_WRITTEN.contains(type)) {
        continue;
      }
      for (String op : List.of("CREATE", "UPDATE", "DELETE")) {
        for (var p : ResourceHandlerPermissions.of(type, op, "Stage-App-Res-X", json("{}"), A, R)) {
          assertThat(p.action()).as(type).matches("[a-z0-9-]+:[A-Za-z0-9]+");
          assertThat(p.resourceArn()).as(type + " " + p.action()).matches("\\*|arn:aws:[^*]+");
        }
      }
    }
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
