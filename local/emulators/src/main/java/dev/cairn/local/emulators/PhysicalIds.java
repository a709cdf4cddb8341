package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.ResourceGraph.NESTED_STACK;
import static dev.cairn.local.emulators.ResourceGraph.type;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The physical IDs of new resources and the attributes that follow from them: a resource's name
 * (given, or made up as CloudFormation makes one), a nested stack's stack ID, the ARN of the types
 * whose ARN follows from the name, and the {@code Fn::GetAtt} attributes resource handlers take as
 * another resource's identifier.
 */
final class PhysicalIds {

  private final String account;
  private final String region;
  private final StackRegistry registry;

  PhysicalIds(StackRegistry registry) {
    this.account = registry.account();
    this.region = registry.region();
    this.registry = registry;
  }

  /** The property a type takes its name from; a resource that does not set it gets one made up. */
  private static final Map<String, String> NAME_PROPERTY =
      Map.ofEntries(
          Map.entry("AWS::DynamoDB::Table", "TableName"),
          Map.entry("AWS::ECR::Repository", "RepositoryName"),
          Map.entry("AWS::Events::EventBus", "Name"),
          Map.entry("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
          Map.entry("AWS::IAM::Role", "RoleName"),
          Map.entry("AWS::Lambda::Function", "FunctionName"),
          Map.entry("AWS::Logs::LogGroup", "LogGroupName"),
          Map.entry("AWS::S3::Bucket", "BucketName"),
          Map.entry("AWS::SNS::Topic", "TopicName"),
          Map.entry("AWS::SQS::Queue", "QueueName"),
          Map.entry("AWS::StepFunctions::StateMachine", "StateMachineName"));

  /** The longest name a type accepts (its resource reference); 255 for the others. */
  private static final Map<String, Integer> NAME_LIMIT =
      Map.of(
          "AWS::IAM::Role", 64,
          "AWS::Lambda::Function", 64,
          "AWS::S3::Bucket", 63,
          "AWS::SQS::Queue", 80,
          "AWS::StepFunctions::StateMachine", 80,
          "AWS::IAM::ManagedPolicy", 128);

  /**
   * A new resource's physical ID: the name its name property gives, otherwise one made up as
   * CloudFormation does, {@code <stackName>-<logicalId>-<SUFFIX>} ("Name type", CloudFormation User
   * Guide): a 12-character uppercase suffix, the logical ID cut first and then the stack name when
   * the whole exceeds the type's limit, lower case for a bucket. The suffix is derived from the
   * stack ID, the logical ID and the operation, so runs are reproducible. Deviation: the emulator's
   * physical ID is the name for every type (CloudFormation's is the URL for a queue, the ARN for a
   * topic, a generated ID for a REST API).
   */
  static String newPhysicalId(EmulatedStack stack, String logicalId, JsonNode resource) {
    String type = type(resource);
    JsonNode name = resource.path("Properties").path(NAME_PROPERTY.getOrDefault(type, ""));
    if (name.isTextual()) {
      return name.asText();
    }
    String suffix =
        UUID.nameUUIDFromBytes(
                (stack.id + "/" + logicalId + "/" + stack.operationSequence)
                    .getBytes(StandardCharsets.UTF_8))
            .toString()
            .replace("-", "")
            .substring(0, 12)
            .toUpperCase(java.util.Locale.ROOT);
    int limit = NAME_LIMIT.getOrDefault(type, 255);
    String stackPart = stack.name;
    String logicalPart = logicalId;
    int over = stackPart.length() + logicalPart.length() + suffix.length() + 2 - limit;
    if (over > 0) {
      logicalPart = logicalPart.substring(0, Math.max(1, logicalPart.length() - over));
      over = stackPart.length() + logicalPart.length() + suffix.length() + 2 - limit;
    }
    if (over > 0) {
      stackPart = stackPart.substring(0, stackPart.length() - over);
    }
    String generated = stackPart + "-" + logicalPart + "-" + suffix;
    return type.equals("AWS::S3::Bucket")
        ? generated.toLowerCase(java.util.Locale.ROOT)
        : generated;
  }

  /**
   * A new resource's physical ID: {@link #newPhysicalId}, except for a nested stack, whose physical
   * ID is its stack ID and whose name is made up as any other resource's ({@code
   * <parent>-<logicalId>-<SUFFIX>}, as CloudFormation names nested stacks).
   */
  String assignId(EmulatedStack stack, String logicalId, JsonNode resource) {
    String name = newPhysicalId(stack, logicalId, resource);
    if (!type(resource).equals(NESTED_STACK)) {
      return name;
    }
    return registry.arn(
        "stack/"
            + name
            + "/"
            + UUID.nameUUIDFromBytes(
                (stack.id + "/" + logicalId + "/" + stack.operationSequence)
                    .getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code Fn::GetAtt <resource>.Arn} of the types whose ARN follows from the name; else null. */
  String arn(String type, String name) {
    String p = region.startsWith("cn-") ? "aws-cn" : "aws";
    return switch (type) {
      case "AWS::IAM::Role" -> "arn:" + p + ":iam::" + account + ":role/" + name;
      case "AWS::Lambda::Function" ->
          "arn:" + p + ":lambda:" + region + ":" + account + ":function:" + name;
      case "AWS::DynamoDB::Table" ->
          "arn:" + p + ":dynamodb:" + region + ":" + account + ":table/" + name;
      case "AWS::Logs::LogGroup" ->
          "arn:" + p + ":logs:" + region + ":" + account + ":log-group:" + name + ":*";
      case "AWS::SQS::Queue" -> "arn:" + p + ":sqs:" + region + ":" + account + ":" + name;
      case "AWS::S3::Bucket" -> "arn:" + p + ":s3:::" + name;
      case "AWS::ECR::Repository" ->
          "arn:" + p + ":ecr:" + region + ":" + account + ":repository/" + name;
      case "AWS::KMS::Key" -> "arn:" + p + ":kms:" + region + ":" + account + ":key/" + name;
      default -> null;
    };
  }

  /**
   * {@code Fn::GetAtt} of the attributes resource handlers take as another resource's identifier,
   * for the types whose physical ID the emulator keeps as the name (see {@link #newPhysicalId}), as
   * the Template Reference's "Return values" section of each type defines them; else null.
   * Deviation: a generated ID is the emulator's physical ID, and a REST API's root resource ID is
   * derived from the API's, so it is stable and differs per API.
   */
  String attribute(String type, String physicalId, JsonNode properties, String name) {
    String p = region.startsWith("cn-") ? "aws-cn" : "aws";
    return switch (type + "." + name) {
      // "GroupId: The group ID of the specified security group, such as sg-94b3a1f6."
      case "AWS::EC2::SecurityGroup.GroupId",
          // "AllocationId: The ID that AWS assigns to represent the allocation of the address"
          "AWS::EC2::EIP.AllocationId",
          // "ServerId: The service-assigned ID of the server that is created."
          "AWS::Transfer::Server.ServerId",
          // "Name: The name of the Amazon ECS service"
          "AWS::ECS::Service.Name",
          // "TargetGroupName: The name of the target group."
          "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupName",
          // "Name: Returns the repository's name"
          "AWS::CodeCommit::Repository.Name" ->
          physicalId;
      // "RootResourceId: The root resource ID for a RestApi resource, such as a0bc123d4e."
      case "AWS::ApiGateway::RestApi.RootResourceId" ->
          UUID.nameUUIDFromBytes(("root/" + physicalId).getBytes(StandardCharsets.UTF_8))
              .toString()
              .replace("-", "")
              .substring(0, 10);
      // "CidrBlock: The primary IPv4 CIDR block for the VPC."
      case "AWS::EC2::VPC.CidrBlock" ->
          properties.path("CidrBlock").isTextual() ? properties.get("CidrBlock").asText() : null;
      case "AWS::Events::Rule.Arn" ->
          "arn:" + p + ":events:" + region + ":" + account + ":rule/" + physicalId;
      case "AWS::CodeBuild::Project.Arn" ->
          "arn:" + p + ":codebuild:" + region + ":" + account + ":project/" + physicalId;
      case "AWS::CodeCommit::Repository.Arn" ->
          "arn:" + p + ":codecommit:" + region + ":" + account + ":" + physicalId;
      case "AWS::CodeCommit::Repository.CloneUrlHttp" ->
          "https://git-codecommit." + region + ".amazonaws.com/v1/repos/" + physicalId;
      default -> null;
    };
  }
}
