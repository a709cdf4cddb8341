package dev.cairn.sandbox.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventRulePatternTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // S3 User Guide, "EventBridge event message structure", Object created.
  private static final String S3_OBJECT_CREATED =
      """
      {"version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103",
       "detail-type": "Object Created", "source": "aws.s3", "account": "111122223333",
       "time": "2021-11-12T00:00:00Z", "region": "ca-central-1",
       "resources": ["arn:aws:s3:::amzn-s3-demo-bucket1"],
       "detail": {"version": "0", "bucket": {"name": "amzn-s3-demo-bucket1"},
         "object": {"key": "releases/app/manifest.json", "size": 5,
           "etag": "b1946ac92492d2347c6235b4d2611184",
           "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", "sequencer": "617f08299329d189"},
         "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012",
         "source-ip-address": "1.2.3.4", "reason": "PutObject"}}
      """;

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static EventRule rule(String pattern) {
    return EventRule.fromProperties(
        "ManifestRule",
        json(
            """
            {"EventPattern": %s,
             "Targets": [{"Id": "Verifier", "Arn": "arn:aws:states:ca-central-1:111122223333:stateMachine:verify"}]}
            """
                .formatted(pattern)));
  }

  @Test
  void matches_whenSourceAndDetailTypeListed_matches() {
    EventRule rule =
        rule(
            "{\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\", \"Object Deleted\"]}");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isTrue();
  }

  @Test
  void matches_whenValueNotInList_doesNotMatch() {
    EventRule rule = rule("{\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Deleted\"]}");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isFalse();
  }

  @Test
  void matches_whenNestedDetailKeyHasSuffix_matches() {
    EventRule rule =
        rule(
            "{\"source\": [\"aws.s3\"], \"detail\": {\"bucket\": {\"name\": [\"amzn-s3-demo-bucket1\"]},"
                + " \"object\": {\"key\": [{\"suffix\": \"manifest.json\"}]}}}");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isTrue();
  }

  @Test
  void matches_whenSuffixDiffers_doesNotMatch() {
    EventRule rule = rule("{\"detail\": {\"object\": {\"key\": [{\"suffix\": \".sig\"}]}}}");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isFalse();
  }

  @Test
  void matches_whenPrefixMatches_matches() {
    assertThat(
            rule("{\"detail\": {\"object\": {\"key\": [{\"prefix\": \"releases/\"}]}}}")
                .matches(json(S3_OBJECT_CREATED)))
        .isTrue();
    assertThat(
            rule("{\"detail\": {\"object\": {\"key\": [{\"prefix\": \"staging/\"}]}}}")
                .matches(json(S3_OBJECT_CREATED)))
        .isFalse();
  }

  @Test
  void matches_whenNumericRange_comparesNumbers() {
    assertThat(
            rule("{\"detail\": {\"object\": {\"size\": [{\"numeric\": [\">\", 0, \"<=\", 5]}]}}}")
                .matches(json(S3_OBJECT_CREATED)))
        .isTrue();
    assertThat(
            rule("{\"detail\": {\"object\": {\"size\": [{\"numeric\": [\">\", 5]}]}}}")
                .matches(json(S3_OBJECT_CREATED)))
        .isFalse();
  }

  @Test
  void matches_whenPatternFieldAbsentFromEvent_doesNotMatch() {
    EventRule rule = rule("{\"detail\": {\"deletion-type\": [\"Permanently Deleted\"]}}");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isFalse();
  }

  @Test
  void matches_whenEventResourceInArray_matches() {
    EventRule rule = rule("{\"resources\": [\"arn:aws:s3:::amzn-s3-demo-bucket1\"]}");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isTrue();
  }

  @Test
  void matches_whenPatternIsJsonString_compilesIt() {
    EventRule rule = rule("\"{\\\"source\\\": [\\\"aws.s3\\\"]}\"");

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isTrue();
  }

  @Test
  void invocations_whenPatternDoesNotMatch_areEmpty() {
    EventRule rule = rule("{\"source\": [\"aws.states\"]}");

    assertThat(rule.invocations(json(S3_OBJECT_CREATED))).isEmpty();
  }

  @Test
  void invocations_whenRuleDisabled_areEmpty() {
    EventRule rule =
        EventRule.fromProperties(
            "Disabled",
            json(
                """
                {"State": "DISABLED", "EventPattern": {"source": ["aws.s3"]},
                 "Targets": [{"Id": "T", "Arn": "arn:aws:lambda:ca-central-1:111122223333:function:f"}]}
                """));

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isFalse();
    assertThat(rule.invocations(json(S3_OBJECT_CREATED))).isEmpty();
  }

  @Test
  void matches_whenRuleHasOnlySchedule_matchesNoEvent() {
    EventRule rule =
        EventRule.fromProperties(
            "Nightly",
            json(
                """
                {"ScheduleExpression": "rate(1 day)",
                 "Targets": [{"Id": "T", "Arn": "arn:aws:lambda:ca-central-1:111122223333:function:f"}]}
                """));

    assertThat(rule.matches(json(S3_OBJECT_CREATED))).isFalse();
    assertThat(rule.scheduleExpression()).contains("rate(1 day)");
  }

  @Test
  void eventBusName_whenAbsent_isDefault_andArnOmitsBus() {
    EventRule onDefault = rule("{\"source\": [\"aws.s3\"]}");
    EventRule onCustom =
        EventRule.fromProperties(
            "Custom",
            json(
                """
                {"Name": "custom-rule", "EventBusName": "arn:aws:events:ca-central-1:111122223333:event-bus/cairn",
                 "EventPattern": {"source": ["cairn"]}}
                """));

    assertThat(onDefault.eventBusName()).isEqualTo("default");
    assertThat(onDefault.arn("ca-central-1", "111122223333"))
        .isEqualTo("arn:aws:events:ca-central-1:111122223333:rule/ManifestRule");
    assertThat(onCustom.eventBusName()).isEqualTo("cairn");
    assertThat(onCustom.arn("ca-central-1", "111122223333"))
        .isEqualTo("arn:aws:events:ca-central-1:111122223333:rule/cairn/custom-rule");
  }
}
