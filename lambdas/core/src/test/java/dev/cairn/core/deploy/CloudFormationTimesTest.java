package dev.cairn.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudFormationTimesTest {

  private static final String TEMPLATE =
      """
      {"Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
        "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "Fn"}}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": {"Fn::Sub": "${Table}-errors"}}}
      }}
      """;

  @Test
  void execution_isTheLongestChainOfTheChangedResources() throws Exception {
    var template = Json.parse(TEMPLATE.getBytes(StandardCharsets.UTF_8));
    // Role 15 s -> Fn 8 s -> Perm 2 s = 25 s; Table 30 s -> Alarm 2 s = 32 s.
    List<ResourceChange> all =
        List.of(
            new ResourceChange("Add", "Role", "AWS::IAM::Role", null),
            new ResourceChange("Add", "Fn", "AWS::Lambda::Function", null),
            new ResourceChange("Add", "Perm", "AWS::Lambda::Permission", null),
            new ResourceChange("Add", "Table", "AWS::DynamoDB::Table", null),
            new ResourceChange("Add", "Alarm", "AWS::CloudWatch::Alarm", null));
    assertThat(CloudFormationTimes.execution(template, all)).isEqualTo(Duration.ofSeconds(32));
  }

  @Test
  void execution_countsOnlyWhatChanges_anUpdateAtItsUpdateTime() throws Exception {
    var template = Json.parse(TEMPLATE.getBytes(StandardCharsets.UTF_8));
    List<ResourceChange> fnOnly =
        List.of(new ResourceChange("Modify", "Fn", "AWS::Lambda::Function", "False"));
    assertThat(CloudFormationTimes.execution(template, fnOnly)).isEqualTo(Duration.ofSeconds(6));
    List<ResourceChange> replaced =
        List.of(new ResourceChange("Modify", "Fn", "AWS::Lambda::Function", "True"));
    assertThat(CloudFormationTimes.execution(template, replaced)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void changeSet_takesSecondsGrowingWithTheTemplate() {
    assertThat(CloudFormationTimes.changeSet(5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(CloudFormationTimes.changeSet(100)).isEqualTo(Duration.ofSeconds(23));
  }
}
