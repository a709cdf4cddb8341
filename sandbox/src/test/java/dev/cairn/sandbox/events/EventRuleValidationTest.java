package dev.cairn.sandbox.events;

import static dev.cairn.sandbox.events.EventRulePatternTest.json;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What PutRule and PutTargets would refuse is refused at construction, naming rule and target. */
class EventRuleValidationTest {

  private static void refused(String target, String... messageParts) {
    String properties =
        "{\"EventPattern\": {\"source\": [\"aws.s3\"]}, \"Targets\": [" + target + "]}";
    var assertion =
        assertThatThrownBy(() -> EventRule.fromProperties("BadRule", json(properties)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("BadRule");
    for (String part : messageParts) {
      assertion.hasMessageContaining(part);
    }
  }

  private static String transformer(String paths, String template) {
    return "{\"Id\": \"T1\", \"Arn\": \"arn:aws:sqs:us-east-1:123456789012:q\", \"InputTransformer\": {"
        + (paths == null ? "" : "\"InputPathsMap\": " + paths + ", ")
        + "\"InputTemplate\": "
        + TextNode.valueOf(template)
        + "}}";
  }

  @Test
  void fromProperties_whenInputPathsMapHasOver100Entries_refusesNamingTarget() {
    String paths =
        IntStream.rangeClosed(1, 101)
            .mapToObj(i -> "\"v" + i + "\": \"$.detail\"")
            .collect(Collectors.joining(",", "{", "}"));

    refused(transformer(paths, "\"x\""), "T1", "101 entries", "at most 100");
  }

  @Test
  void fromProperties_whenInputPathsMapHas100Entries_accepts() {
    String paths =
        IntStream.rangeClosed(1, 100)
            .mapToObj(i -> "\"v" + i + "\": \"$.detail\"")
            .collect(Collectors.joining(",", "{", "}"));

    EventRule.fromProperties(
        "GoodRule",
        json(
            "{\"EventPattern\": {\"source\": [\"aws.s3\"]}, \"Targets\": ["
                + transformer(paths, "\"x\"")
                + "]}"));
  }

  @Test
  void fromProperties_whenInputPathsKeyStartsWithAws_refuses() {
    refused(transformer("{\"AWS.events.rule-arn\": \"$.detail\"}", "\"x\""), "T1", "AWS.");
    refused(transformer("{\"aws.mine\": \"$.detail\"}", "\"x\""), "T1", "aws.mine");
  }

  @Test
  void fromProperties_whenInputPathsKeyHasInvalidCharacters_refuses() {
    refused(transformer("{\"my key\": \"$.detail\"}", "\"x\""), "T1", "[A-Za-z0-9_-]+");
  }

  @Test
  void fromProperties_whenJsonTemplateInvalid_refuses() {
    refused(transformer("{\"a\": \"$.detail\"}", "{\"a\": <a>,}"), "T1", "not valid JSON");
    refused(transformer("{\"a\": \"$.detail\"}", "{\"a\": <b>}"), "T1", "not valid JSON");
  }

  @Test
  void fromProperties_whenPlaceholderIsObjectKey_refuses() {
    refused(transformer("{\"a\": \"$.detail\"}", "{\"<a>\": 1}"), "T1", "object key");
    refused(transformer("{\"a\": \"$.detail\"}", "{<a>: 1}"), "T1", "not valid JSON");
  }

  @Test
  void fromProperties_whenEventVariableQuoted_refuses() {
    refused(
        transformer(null, "{\"e\": \"<aws.events.event.json>\"}"), "T1", "aws.events.event.json");
  }

  @Test
  void fromProperties_whenInputIsNotJson_refuses() {
    refused(
        "{\"Id\": \"T1\", \"Arn\": \"arn:aws:sqs:us-east-1:123456789012:q\", \"Input\": \"not json\"}",
        "T1",
        "not valid JSON");
  }

  @Test
  void fromProperties_whenTwoInputModes_refuses() {
    refused(
        "{\"Id\": \"T1\", \"Arn\": \"arn:aws:sqs:us-east-1:123456789012:q\", \"Input\": \"{}\", \"InputPath\": \"$.detail\"}",
        "T1",
        "mutually exclusive");
  }

  @Test
  void fromProperties_whenPathUsesBracketNotation_refuses() {
    refused(
        "{\"Id\": \"T1\", \"Arn\": \"arn:aws:sqs:us-east-1:123456789012:q\", \"InputPath\": \"$['detail']\"}",
        "T1",
        "$['detail']");
  }

  @Test
  void fromProperties_whenTargetIdInvalidOrDuplicate_refuses() {
    refused("{\"Id\": \"bad id\", \"Arn\": \"arn:aws:sqs:us-east-1:123456789012:q\"}", "bad id");
    refused(
        "{\"Id\": \"T1\", \"Arn\": \"arn:a\"}, {\"Id\": \"T1\", \"Arn\": \"arn:b\"}",
        "T1",
        "duplicate");
  }

  @Test
  void fromProperties_whenMoreThanFiveTargets_refuses() {
    String targets =
        IntStream.rangeClosed(1, 6)
            .mapToObj(
                i -> "{\"Id\": \"T" + i + "\", \"Arn\": \"arn:aws:sqs:us-east-1:123456789012:q\"}")
            .collect(Collectors.joining(","));

    refused(targets, "at most 5 targets");
  }

  @Test
  void fromProperties_whenNeitherPatternNorSchedule_refuses() {
    assertThatThrownBy(() -> EventRule.fromProperties("Empty", json("{\"State\": \"ENABLED\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Empty")
        .hasMessageContaining("EventPattern or ScheduleExpression");
  }

  @Test
  void fromProperties_whenPatternInvalid_refuses() {
    assertThatThrownBy(
            () ->
                EventRule.fromProperties(
                    "BadPattern", json("{\"EventPattern\": {\"source\": \"aws.s3\"}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BadPattern")
        .hasMessageContaining("Event pattern is not valid");
  }

  @Test
  void fromProperties_whenUnresolvedIntrinsicLeft_refuses() {
    assertThatThrownBy(
            () ->
                EventRule.fromProperties(
                    "Unresolved",
                    json(
                        "{\"EventPattern\": {\"source\": [\"aws.s3\"]}, \"EventBusName\": {\"Ref\": \"Bus\"}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unresolved")
        .hasMessageContaining("EventBusName");
  }
}
