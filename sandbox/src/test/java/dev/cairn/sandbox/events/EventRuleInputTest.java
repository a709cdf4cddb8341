package dev.cairn.sandbox.events;

import static dev.cairn.sandbox.events.EventRulePatternTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Target input, with the EC2 example event and templates of the User Guide's input transformation
 * page.
 */
class EventRuleInputTest {

  private static final String EC2_EVENT =
      """
      {"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602",
       "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
       "account": "123456789012", "time": "2015-11-11T21:29:54Z", "region": "us-east-1",
       "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
       "detail": {"instance-id": "i-0123456789", "state": "RUNNING"}}
      """;

  private static final String PATHS =
      "{\"timestamp\": \"$.time\", \"instance\": \"$.detail.instance-id\", \"state\": \"$.detail.state\"}";

  private static EventRule ruleWithTarget(String targetExtras) {
    return EventRule.fromProperties(
        "Ec2Rule",
        json(
            """
            {"Name": "example", "EventPattern": {"source": ["aws.ec2"]},
             "Targets": [{"Id": "Target1", "Arn": "arn:aws:sqs:us-east-1:123456789012:q",
                          "RoleArn": "arn:aws:iam::123456789012:role/events" %s}]}
            """
                .formatted(targetExtras)));
  }

  private static String transformed(String paths, String template) {
    String transformer =
        ", \"InputTransformer\": {"
            + (paths == null ? "" : "\"InputPathsMap\": " + paths + ", ")
            + "\"InputTemplate\": "
            + TextNode.valueOf(template)
            + "}";
    return only(ruleWithTarget(transformer).invocations(json(EC2_EVENT))).input();
  }

  private static TargetInvocation only(List<TargetInvocation> invocations) {
    assertThat(invocations).hasSize(1);
    return invocations.get(0);
  }

  @Test
  void invocations_whenNoInputGiven_deliverWholeEventMinified() {
    TargetInvocation invocation = only(ruleWithTarget("").invocations(json(EC2_EVENT)));

    assertThat(invocation)
        .isEqualTo(
            new TargetInvocation(
                "Ec2Rule",
                "Target1",
                "arn:aws:sqs:us-east-1:123456789012:q",
                "arn:aws:iam::123456789012:role/events",
                json(EC2_EVENT).toString()));
    assertThat(invocation.input()).doesNotContain("\n").startsWith("{\"version\":\"0\",\"id\"");
  }

  @Test
  void invocations_whenConstantInput_deliverTextAsIs() {
    String input = "{ \"action\" : \"verify\",\n  \"n\": 1 }";

    TargetInvocation invocation =
        only(
            ruleWithTarget(", \"Input\": " + TextNode.valueOf(input)).invocations(json(EC2_EVENT)));

    assertThat(invocation.input()).isEqualTo(input);
  }

  @Test
  void invocations_whenInputPath_deliverValueAsJson() {
    assertThat(
            only(ruleWithTarget(", \"InputPath\": \"$.detail\"").invocations(json(EC2_EVENT)))
                .input())
        .isEqualTo("{\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\"}");
    assertThat(
            only(ruleWithTarget(", \"InputPath\": \"$.detail.state\"").invocations(json(EC2_EVENT)))
                .input())
        .isEqualTo("\"RUNNING\"");
    assertThat(
            only(ruleWithTarget(", \"InputPath\": \"$.resources[0]\"").invocations(json(EC2_EVENT)))
                .input())
        .isEqualTo("\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"");
    assertThat(only(ruleWithTarget(", \"InputPath\": \"$\"").invocations(json(EC2_EVENT))).input())
        .isEqualTo(json(EC2_EVENT).toString());
  }

  @Test
  void invocations_whenInputPathHasNoValue_failsNamingRuleAndTarget() {
    EventRule rule = ruleWithTarget(", \"InputPath\": \"$.detail.missing\"");

    assertThatThrownBy(() -> rule.invocations(json(EC2_EVENT)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Ec2Rule")
        .hasMessageContaining("Target1")
        .hasMessageContaining("$.detail.missing");
  }

  // ---- InputTransformer: the User Guide's table of examples, minified ----------------------

  @Test
  void invocations_whenTemplateIsQuotedString_substitutesTextInsideIt() {
    assertThat(transformed(PATHS, "\"instance <instance> is in <state>\""))
        .isEqualTo("\"instance i-0123456789 is in RUNNING\"");
  }

  @Test
  void invocations_whenStringHasEscapedQuotes_keepsThem() {
    assertThat(transformed(PATHS, "\"instance \\\"<instance>\\\" is in <state>\""))
        .isEqualTo("\"instance \\\"i-0123456789\\\" is in RUNNING\"");
  }

  @Test
  void invocations_whenTransformerPlaceholderUnquoted_insertsJsonValue() {
    assertThat(transformed(PATHS, "{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}"))
        .isEqualTo("{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\"}");
  }

  @Test
  void invocations_whenJsonMixesStringsAndVariables_fillsEach() {
    assertThat(
            transformed(
                PATHS,
                "{\n \"instance\" : <instance>,\n \"state\": \"<state>\",\n"
                    + " \"instanceStatus\": \"instance \\\"<instance>\\\" is in <state>\"\n}"))
        .isEqualTo(
            "{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\","
                + "\"instanceStatus\":\"instance \\\"i-0123456789\\\" is in RUNNING\"}");
    assertThat(
            transformed(
                PATHS,
                "{\n  \"instance\" : <instance>,\n  \"state\": [ 9, <state>, true ],\n  \"Transformed\" : \"Yes\"\n}"))
        .isEqualTo(
            "{\"instance\":\"i-0123456789\",\"state\":[9,\"RUNNING\",true],\"Transformed\":\"Yes\"}");
  }

  @Test
  void invocations_whenPredefinedVariablesInJson_fillsRuleAndEvent() {
    String output =
        transformed(
            PATHS,
            "{\"instance\" : <instance>, \"state\": <state>, \"ruleArn\" : <aws.events.rule-arn>,"
                + " \"ruleName\" : <aws.events.rule-name>, \"originalEvent\" : <aws.events.event>,"
                + " \"fullEvent\": <aws.events.event.json>,"
                + " \"ingested\": <aws.events.event.ingestion-time>}");

    JsonNode parsed = json(output);
    ObjectNode withoutDetail = (ObjectNode) json(EC2_EVENT);
    withoutDetail.remove("detail");
    assertThat(parsed.get("ruleArn").asText())
        .isEqualTo("arn:aws:events:us-east-1:123456789012:rule/example");
    assertThat(parsed.get("ruleName").asText()).isEqualTo("example");
    assertThat(parsed.get("originalEvent")).isEqualTo(withoutDetail);
    assertThat(parsed.get("fullEvent")).isEqualTo(json(EC2_EVENT));
    assertThat(parsed.get("ingested").asText()).isEqualTo("2015-11-11T21:29:54Z");
  }

  @Test
  void invocations_whenReservedVariableInString_insertsText() {
    assertThat(transformed(null, "\"<aws.events.rule-name> triggered\""))
        .isEqualTo("\"example triggered\"");
  }

  @Test
  void invocations_whenIngestionTimeGiven_usesIt() {
    EventRule rule =
        ruleWithTarget(
            ", \"InputTransformer\": {\"InputTemplate\": \"{\\\"at\\\": <aws.events.event.ingestion-time>}\"}");

    assertThat(
            only(rule.invocations(json(EC2_EVENT), Instant.parse("2015-11-11T21:29:55.120Z")))
                .input())
        .isEqualTo("{\"at\":\"2015-11-11T21:29:55.120Z\"}");
  }

  @Test
  void invocations_whenTemplateIsPlainText_insertsRawText() {
    // PutTargets API reference: "InputTemplate": "<instance> is in state <status>"
    assertThat(transformed(PATHS, "<instance> is in state <state>"))
        .isEqualTo("i-0123456789 is in state RUNNING");
    assertThat(transformed("{\"detail\": \"$.detail\"}", "detail: <detail>"))
        .isEqualTo("detail: {\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\"}");
  }

  @Test
  void invocations_whenTransformerQuotesPlaceholder_insertsEscapedText() {
    String event = EC2_EVENT.replace("\"i-0123456789\"", "\"i-01\\\"quoted\\\"\\\\back\\nline\"");
    EventRule rule =
        ruleWithTarget(
            ", \"InputTransformer\": {\"InputPathsMap\": "
                + PATHS
                + ", \"InputTemplate\": \"{\\\"msg\\\": \\\"id=<instance>\\\"}\"}");

    String input = only(rule.invocations(json(event))).input();

    assertThat(input).isEqualTo("{\"msg\":\"id=i-01\\\"quoted\\\"\\\\back\\nline\"}");
    assertThat(json(input).get("msg").asText()).isEqualTo("id=i-01\"quoted\"\\back\nline");
  }

  @Test
  void invocations_whenNumberAndObjectUnquoted_insertsJsonValues() {
    String event =
        EC2_EVENT.replace("\"state\": \"RUNNING\"", "\"state\": \"RUNNING\", \"code\": 16");

    EventRule rule =
        ruleWithTarget(
            ", \"InputTransformer\": {\"InputPathsMap\": {\"code\": \"$.detail.code\", \"detail\": \"$.detail\","
                + " \"resources\": \"$.resources\"},"
                + " \"InputTemplate\": \"{\\\"code\\\": <code>, \\\"detail\\\": <detail>, \\\"r\\\": <resources>}\"}");

    assertThat(only(rule.invocations(json(event))).input())
        .isEqualTo(
            "{\"code\":16,\"detail\":{\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\",\"code\":16},"
                + "\"r\":[\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"]}");
  }

  @Test
  void invocations_whenObjectPlaceholderInsideString_removesItsQuotes() {
    // User Guide: "If a JSON path references a JSON object or array, but the variable is
    // referenced in a string, EventBridge removes any internal quotes to ensure a valid string."
    assertThat(transformed("{\"detail\": \"$.detail\"}", "{\"text\": \"Detail is <detail>\"}"))
        .isEqualTo("{\"text\":\"Detail is {instance-id:i-0123456789,state:RUNNING}\"}");
  }

  @Test
  void invocations_whenNumberPlaceholderInsideString_insertsItsText() {
    String event =
        EC2_EVENT.replace("\"state\": \"RUNNING\"", "\"state\": \"RUNNING\", \"code\": 16");
    EventRule rule =
        ruleWithTarget(
            ", \"InputTransformer\": {\"InputPathsMap\": {\"code\": \"$.detail.code\"},"
                + " \"InputTemplate\": \"{\\\"text\\\": \\\"code <code>\\\"}\"}");

    assertThat(only(rule.invocations(json(event))).input()).isEqualTo("{\"text\":\"code 16\"}");
  }

  @Test
  void invocations_whenPathMissingInsideString_leavesNothing() {
    assertThat(transformed("{\"gone\": \"$.detail.gone\"}", "{\"text\": \"[<gone>]\"}"))
        .isEqualTo("{\"text\":\"[]\"}");
    assertThat(transformed("{\"gone\": \"$.detail.gone\"}", "gone=<gone>.")).isEqualTo("gone=.");
  }

  @Test
  void invocations_whenPathMissingAsUnquotedJsonValue_failsNamingVariable() {
    EventRule rule =
        ruleWithTarget(
            ", \"InputTransformer\": {\"InputPathsMap\": {\"gone\": \"$.detail.gone\"},"
                + " \"InputTemplate\": \"{\\\"v\\\": <gone>}\"}");

    assertThatThrownBy(() -> rule.invocations(json(EC2_EVENT)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Ec2Rule")
        .hasMessageContaining("Target1")
        .hasMessageContaining("<gone>")
        .hasMessageContaining("$.detail.gone");
  }

  @Test
  void invocations_whenUnknownPlaceholderInString_keepsItLiterally() {
    assertThat(transformed(PATHS, "\"<instance> <unknown>\""))
        .isEqualTo("\"i-0123456789 <unknown>\"");
  }

  @Test
  void scheduledInvocations_whenScheduleRuleFires_deliverScheduledEvent() {
    EventRule rule =
        EventRule.fromProperties(
            "Nightly",
            json(
                """
                {"Name": "nightly", "ScheduleExpression": "cron(0 3 * * ? *)",
                 "Targets": [{"Id": "Sweeper", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:sweep",
                              "Input": "{\\"sweep\\": true}"}]}
                """));
    AwsEvents events = new AwsEvents(() -> "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
    ObjectNode scheduled =
        events.scheduledEvent(
            "123456789012",
            "us-east-1",
            Instant.parse("2015-10-08T16:53:06Z"),
            rule.arn("us-east-1", "123456789012"));

    assertThat(rule.scheduledInvocations(scheduled))
        .containsExactly(
            new TargetInvocation(
                "Nightly",
                "Sweeper",
                "arn:aws:lambda:us-east-1:123456789012:function:sweep",
                null,
                "{\"sweep\": true}"));
  }
}
