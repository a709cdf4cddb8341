package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * The intrinsic functions as the CloudFormation Template Reference defines them, resolved to what a
 * resource handler sees. Each expected value comes from the function's page (the examples where the
 * page has one), not from the resolver: {@code Ref} ("When you specify a parameter's logical name,
 * it returns the value of the parameter. When you specify a resource's logical name, it returns a
 * value that you can typically use to refer to that resource, such as a physical ID."), the pseudo
 * parameters, {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::Split}, {@code Fn::Select}, {@code
 * Fn::ImportValue} and {@code Fn::GetAtt} of a nested stack's {@code Outputs.<name>}.
 */
class IntrinsicResolverTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "123456789012";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

  private final Map<String, JsonNode> resources = new LinkedHashMap<>();
  private final Map<String, String> physicalIds = new LinkedHashMap<>();
  private final Map<String, String> parameters = new LinkedHashMap<>();

  private StackRegistry registry = new StackRegistry(ACCOUNT, "us-east-1", CLOCK);
  private IntrinsicResolver resolver = new IntrinsicResolver(registry, new PhysicalIds(registry));
  private EmulatedStack stack = stack("us-east-1", "app");

  @Test
  void ref_toParameter_isItsValue_toResource_isItsPhysicalId() {
    parameters.put("Stage", "prod");
    resource("Bucket", "AWS::S3::Bucket", "app-bucket-1a2b3c");

    assertThat(resolve("{\"Ref\":\"Stage\"}").asText()).isEqualTo("prod");
    assertThat(resolve("{\"Ref\":\"Bucket\"}").asText()).isEqualTo("app-bucket-1a2b3c");
  }

  @Test
  void pseudoParameters_inACommercialRegion() {
    assertThat(resolve("{\"Ref\":\"AWS::AccountId\"}").asText()).isEqualTo(ACCOUNT);
    assertThat(resolve("{\"Ref\":\"AWS::Region\"}").asText()).isEqualTo("us-east-1");
    assertThat(resolve("{\"Ref\":\"AWS::Partition\"}").asText()).isEqualTo("aws");
    assertThat(resolve("{\"Ref\":\"AWS::URLSuffix\"}").asText()).isEqualTo("amazonaws.com");
    assertThat(resolve("{\"Ref\":\"AWS::StackName\"}").asText()).isEqualTo("app");
    assertThat(resolve("{\"Ref\":\"AWS::StackId\"}").asText()).isEqualTo(stack.id);
  }

  @Test
  void pseudoParameters_inAChinaRegion_nameItsPartitionAndDomain() {
    // "AWS::Partition ... For standard AWS Regions, the partition is aws. For resources in other
    // partitions, the partition is aws-partitionname. For example, the partition for resources in
    // the China (Beijing and Ningxia) Region is aws-cn"; "AWS::URLSuffix ... The suffix is
    // typically amazonaws.com, but might differ by Region. For example, the suffix for the China
    // (Beijing) Region is amazonaws.com.cn."
    registry = new StackRegistry(ACCOUNT, "cn-north-1", CLOCK);
    resolver = new IntrinsicResolver(registry, new PhysicalIds(registry));
    stack = stack("cn-north-1", "app");

    assertThat(resolve("{\"Ref\":\"AWS::Partition\"}").asText()).isEqualTo("aws-cn");
    assertThat(resolve("{\"Ref\":\"AWS::URLSuffix\"}").asText()).isEqualTo("amazonaws.com.cn");
  }

  @Test
  void join_ofPseudoParameters_isTheDocumentedArn() {
    // Fn::Join, "Join using the partition pseudo parameter".
    JsonNode joined =
        resolve(
            "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},"
                + "\":s3:::elasticbeanstalk-*-\",{\"Ref\":\"AWS::AccountId\"}]]}");

    assertThat(joined.asText()).isEqualTo("arn:aws:s3:::elasticbeanstalk-*-" + ACCOUNT);
    assertThat(resolve("{\"Fn::Join\":[\":\",[\"a\",\"b\",\"c\"]]}").asText()).isEqualTo("a:b:c");
  }

  @Test
  void split_keepsTheEmptyStrings_ofConsecutiveAndTrailingDelimiters() {
    // Fn::Split, "List with empty string values": ["a", "", "c", ""].
    assertThat(resolve("{\"Fn::Split\":[\"|\",\"a||c|\"]}"))
        .isEqualTo(JSON.createArrayNode().add("a").add("").add("c").add(""));
    assertThat(resolve("{\"Fn::Split\":[\"|\",\"a|b|c\"]}"))
        .isEqualTo(JSON.createArrayNode().add("a").add("b").add("c"));
  }

  @Test
  void select_isZeroBased_alsoOfASplitParameter() {
    // Fn::Select, "Basic example": "This example returns: "grapes"."
    assertThat(
            resolve("{\"Fn::Select\":[\"1\",[\"apples\",\"grapes\",\"oranges\",\"mangoes\"]]}")
                .asText())
        .isEqualTo("grapes");
    // Fn::Split: split a comma-delimited list of subnet IDs, then pick one with Fn::Select.
    parameters.put("Subnets", "subnet-1,subnet-2,subnet-3");
    assertThat(
            resolve("{\"Fn::Select\":[\"2\",{\"Fn::Split\":[\",\",{\"Ref\":\"Subnets\"}]}]}")
                .asText())
        .isEqualTo("subnet-3");
  }

  @Test
  void sub_resolvesRefsAttributesAndItsVariableMap_andWritesTheEscapedVariableLiterally() {
    parameters.put("RootDomainName", "example.com");
    resource("Bucket", "AWS::S3::Bucket", "my-bucket");

    // Fn::Sub, "Fn::Sub with a mapping": www.${Domain} with Domain: !Ref RootDomainName.
    assertThat(
            resolve("{\"Fn::Sub\":[\"www.${Domain}\",{\"Domain\":{\"Ref\":\"RootDomainName\"}}]}")
                .asText())
        .isEqualTo("www.example.com");
    // "If you specify resource attributes, such as ${MyInstance.PublicIp}, CloudFormation returns
    // the same values as if you used the Fn::GetAtt intrinsic function."; an S3 bucket's Arn is
    // arn:aws:s3:::<name>.
    assertThat(resolve("{\"Fn::Sub\":\"${Bucket.Arn}/*\"}").asText())
        .isEqualTo("arn:aws:s3:::my-bucket/*");
    // "To write a dollar sign and curly braces (${}) literally, add an exclamation point (!) after
    // the open curly brace, such as ${!Literal}. CloudFormation resolves this text as ${Literal}."
    assertThat(resolve("{\"Fn::Sub\":\"${!Literal}-${AWS::Region}\"}").asText())
        .isEqualTo("${Literal}-us-east-1");
  }

  @Test
  void importValue_isTheValueAnotherStackExports() {
    registry.exports.put(
        "shared-vpc-id",
        new StackRegistry.StackExport("shared-vpc-id", "vpc-0abc", "arn:other", "network"));

    assertThat(resolve("{\"Fn::ImportValue\":\"shared-vpc-id\"}").asText()).isEqualTo("vpc-0abc");
    assertThat(resolve("{\"Fn::ImportValue\":{\"Fn::Sub\":\"shared-${AWS::NoValueHere}\"}}"))
        .as("a name that does not resolve imports nothing")
        .isEqualTo(JSON.createObjectNode().set("Fn::ImportValue", subOfUnknown()));
  }

  @Test
  void getAtt_ofANestedStacksOutput_isTheNestedStacksOutputValue() {
    // AWS::CloudFormation::Stack: "use the GetAtt function with the nested stack's logical name and
    // the name of the output value in the nested stack in the format
    // Outputs.NestedStackOutputName".
    EmulatedStack nested = stack("us-east-1", "app-Nested-ABC");
    nested.outputs = List.of(Output.builder().outputKey("TableName").outputValue("orders").build());
    registry.stacks.put(nested.id, nested);
    resource("Nested", ResourceGraph.NESTED_STACK, nested.id);

    assertThat(resolve("{\"Fn::GetAtt\":[\"Nested\",\"Outputs.TableName\"]}").asText())
        .isEqualTo("orders");
    assertThat(resolve("{\"Fn::GetAtt\":\"Nested.Outputs.TableName\"}").asText())
        .isEqualTo("orders");
  }

  private JsonNode subOfUnknown() {
    return JSON.createObjectNode().put("Fn::Sub", "shared-${AWS::NoValueHere}");
  }

  private JsonNode resolve(String json) {
    try {
      return resolver.resolveReferences(
          JSON.readTree(json), stack, resources, physicalIds, parameters);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  private void resource(String logicalId, String type, String physicalId) {
    resources.put(logicalId, JSON.createObjectNode().put("Type", type));
    physicalIds.put(logicalId, physicalId);
  }

  private static EmulatedStack stack(String region, String name) {
    return new EmulatedStack(
        "arn:aws:cloudformation:" + region + ":" + ACCOUNT + ":stack/" + name + "/1", name);
  }
}
