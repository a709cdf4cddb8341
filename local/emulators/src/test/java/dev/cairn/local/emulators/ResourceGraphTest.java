package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order CloudFormation creates resources in, as the Template Reference's {@code DependsOn}
 * attribute page states it: "When you add a DependsOn attribute to a resource, that resource is
 * created only after the creation of the resource specified in the DependsOn attribute." and
 * "Dependent stacks also have implicit dependencies in the form of target properties !Ref, !GetAtt,
 * and !Sub. For example, if the properties of resource A use a !Ref to resource B, ... Resource B
 * is created before resource A." ("Resource A is deleted before resource B": deletes go in the
 * reverse order, which the emulator's own tests pin through the listener.)
 */
class ResourceGraphTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void dependsOn_asAStringOrAList_createsTheNamedResourcesFirst() {
    // The page's example: Ec2Instance has "DependsOn": "myDB"; myDB is created first.
    Map<String, JsonNode> resources =
        resources(
            """
            {"Ec2Instance": {"Type": "AWS::EC2::Instance", "DependsOn": "myDB"},
             "Gateway": {"Type": "AWS::EC2::Route", "DependsOn": ["Attachment", "myDB"]},
             "myDB": {"Type": "AWS::RDS::DBInstance"},
             "Attachment": {"Type": "AWS::EC2::VPCGatewayAttachment"}}""");

    List<String> order = ResourceGraph.creationOrder(resources);

    assertThat(order).containsExactlyInAnyOrder("Ec2Instance", "Gateway", "myDB", "Attachment");
    assertThat(order.indexOf("myDB")).isLessThan(order.indexOf("Ec2Instance"));
    assertThat(order.indexOf("myDB")).isLessThan(order.indexOf("Gateway"));
    assertThat(order.indexOf("Attachment")).isLessThan(order.indexOf("Gateway"));
  }

  @Test
  void refGetAttAndSub_inProperties_areImplicitDependencies() {
    Map<String, JsonNode> resources =
        resources(
            """
            {"ByRef": {"Type": "AWS::Lambda::Function",
                       "Properties": {"Role": {"Ref": "RefTarget"}}},
             "ByGetAtt": {"Type": "AWS::Lambda::Function",
                          "Properties": {"Role": {"Fn::GetAtt": ["GetAttTarget", "Arn"]}}},
             "ByGetAttString": {"Type": "AWS::Lambda::Function",
                                "Properties": {"Role": {"Fn::GetAtt": "DottedTarget.Arn"}}},
             "BySub": {"Type": "AWS::SSM::Parameter",
                       "Properties": {"Value": {"Fn::Sub": "${SubAttTarget.Arn}/${SubRefTarget}"}}},
             "RefTarget": {"Type": "AWS::IAM::Role"},
             "GetAttTarget": {"Type": "AWS::IAM::Role"},
             "DottedTarget": {"Type": "AWS::IAM::Role"},
             "SubAttTarget": {"Type": "AWS::S3::Bucket"},
             "SubRefTarget": {"Type": "AWS::SQS::Queue"}}""");

    assertThat(ResourceGraph.dependencies(resources, "ByRef")).containsExactly("RefTarget");
    assertThat(ResourceGraph.dependencies(resources, "ByGetAtt")).containsExactly("GetAttTarget");
    assertThat(ResourceGraph.dependencies(resources, "ByGetAttString"))
        .containsExactly("DottedTarget");
    assertThat(ResourceGraph.dependencies(resources, "BySub"))
        .containsExactlyInAnyOrder("SubAttTarget", "SubRefTarget");
    List<String> order = ResourceGraph.creationOrder(resources);
    for (String[] edge :
        new String[][] {
          {"RefTarget", "ByRef"},
          {"GetAttTarget", "ByGetAtt"},
          {"DottedTarget", "ByGetAttString"},
          {"SubAttTarget", "BySub"},
          {"SubRefTarget", "BySub"}
        }) {
      assertThat(order.indexOf(edge[0]))
          .as(edge[0] + " before " + edge[1])
          .isLessThan(order.indexOf(edge[1]));
    }
  }

  @Test
  void refsToParametersAndPseudoParameters_areNoDependencies() {
    Map<String, JsonNode> resources =
        resources(
            """
            {"Queue": {"Type": "AWS::SQS::Queue",
                       "Properties": {"QueueName": {"Fn::Sub": "${Stage}-${AWS::Region}"},
                                      "Tags": [{"Key": "stack", "Value": {"Ref": "AWS::StackName"}}]}}}""");

    assertThat(ResourceGraph.dependencies(resources, "Queue")).isEmpty();
  }

  private static Map<String, JsonNode> resources(String json) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    try {
      JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
    return out;
  }
}
