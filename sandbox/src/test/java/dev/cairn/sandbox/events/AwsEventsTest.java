package dev.cairn.sandbox.events;

import static dev.cairn.sandbox.events.EventRulePatternTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class AwsEventsTest {

  @Test
  void s3ObjectCreated_equalsTheS3UserGuideExample() {
    // S3 User Guide, "EventBridge event message structure", Object created (field for field).
    String documented =
        """
        {"version": "0", "id": "17793124-05d4-b198-2fde-7ededc63b103",
         "detail-type": "Object Created", "source": "aws.s3", "account": "111122223333",
         "time": "2021-11-12T00:00:00Z", "region": "ca-central-1",
         "resources": ["arn:aws:s3:::amzn-s3-demo-bucket1"],
         "detail": {"version": "0", "bucket": {"name": "amzn-s3-demo-bucket1"},
           "object": {"key": "example-key", "size": 5, "etag": "b1946ac92492d2347c6235b4d2611184",
             "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", "sequencer": "617f08299329d189"},
           "request-id": "N4N7GDK58NMKJ12R", "requester": "123456789012",
           "source-ip-address": "1.2.3.4", "reason": "PutObject"}}
        """;
    AwsEvents events = new AwsEvents(() -> "17793124-05d4-b198-2fde-7ededc63b103");

    ObjectNode event =
        events.s3ObjectCreated(
            "111122223333",
            "ca-central-1",
            Instant.parse("2021-11-12T00:00:00.731Z"),
            new AwsEvents.ObjectCreated(
                "amzn-s3-demo-bucket1",
                "example-key",
                5,
                "b1946ac92492d2347c6235b4d2611184",
                "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
                "617f08299329d189",
                "N4N7GDK58NMKJ12R",
                "123456789012",
                "1.2.3.4",
                "PutObject"));

    assertThat(event).isEqualTo(json(documented));
    assertThat(fieldNames(event))
        .containsExactly(
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail");
  }

  @Test
  void s3ObjectCreated_whenBucketUnversioned_omitsVersionId() {
    ObjectNode event =
        new AwsEvents(() -> "id-1")
            .s3ObjectCreated(
                "111122223333",
                "ca-central-1",
                Instant.parse("2021-11-12T00:00:00Z"),
                new AwsEvents.ObjectCreated(
                    "b",
                    "k",
                    0,
                    "d41d8cd98f00b204e9800998ecf8427e",
                    null,
                    "00",
                    "R",
                    "111122223333",
                    "10.0.0.1",
                    "PutObject"));

    assertThat(event.at("/detail/object").has("version-id")).isFalse();
  }

  @Test
  void stepFunctionsExecutionStatusChange_whenSucceeded_carriesDatesAsEpochMillisAndOutput() {
    ObjectNode event =
        new AwsEvents(() -> "315c1398-40ff-a850-213b-158f73e60175")
            .stepFunctionsExecutionStatusChange(
                "123456789012",
                "us-east-1",
                Instant.parse("2019-02-26T19:42:21Z"),
                new AwsEvents.ExecutionStatusChange(
                    "arn:aws:states:us-east-1:123456789012:execution:state-machine-name:execution-name",
                    "arn:aws:states:us-east-1:123456789012:stateMachine:state-machine",
                    "execution-name",
                    "SUCCEEDED",
                    Instant.ofEpochMilli(1551225271984L),
                    Instant.ofEpochMilli(1551225273043L),
                    "{}",
                    "\"Hello World!\"",
                    null,
                    null));

    assertThat(event.get("detail-type").asText())
        .isEqualTo("Step Functions Execution Status Change");
    assertThat(event.get("source").asText()).isEqualTo("aws.states");
    assertThat(event.get("resources"))
        .isEqualTo(
            json(
                "[\"arn:aws:states:us-east-1:123456789012:execution:state-machine-name:execution-name\"]"));
    assertThat(event.at("/detail/startDate").asLong()).isEqualTo(1551225271984L);
    assertThat(event.at("/detail/stopDate").asLong()).isEqualTo(1551225273043L);
    assertThat(event.at("/detail/output").asText()).isEqualTo("\"Hello World!\"");
    assertThat(event.at("/detail/error").isNull()).isTrue();
    assertThat(fieldNames(event.with("detail")))
        .startsWith(
            "executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "input");
  }

  @Test
  void stepFunctionsEvent_matchesRuleOnFailedStatus() {
    EventRule rule =
        EventRule.fromProperties(
            "OnFailure",
            json(
                """
                {"EventPattern": {"source": ["aws.states"], "detail-type": ["Step Functions Execution Status Change"],
                                  "detail": {"status": ["FAILED", "TIMED_OUT", "ABORTED"]}},
                 "Targets": [{"Id": "Alarm", "Arn": "arn:aws:sns:us-east-1:123456789012:t", "InputPath": "$.detail.executionArn"}]}
                """));
    AwsEvents events = new AwsEvents(() -> "id");
    AwsEvents.ExecutionStatusChange failed =
        new AwsEvents.ExecutionStatusChange(
            "arn:aws:states:us-east-1:123456789012:execution:sm:run-1",
            "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
            "run-1",
            "FAILED",
            Instant.parse("2026-12-06T00:00:00Z"),
            Instant.parse("2026-12-06T00:01:00Z"),
            "{}",
            null,
            "States.TaskFailed",
            "boom");

    var event =
        events.stepFunctionsExecutionStatusChange(
            "123456789012", "us-east-1", Instant.parse("2026-12-06T00:01:00Z"), failed);

    assertThat(rule.invocations(event))
        .extracting(TargetInvocation::input)
        .containsExactly("\"arn:aws:states:us-east-1:123456789012:execution:sm:run-1\"");
  }

  @Test
  void scheduledEvent_hasEmptyDetailAndRuleArnResource() {
    ObjectNode event =
        new AwsEvents(() -> "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa")
            .scheduledEvent(
                "123456789012",
                "us-east-1",
                Instant.parse("2015-10-08T16:53:06Z"),
                "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule");

    assertThat(event)
        .isEqualTo(
            json(
                """
                {"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "123456789012", "time": "2015-10-08T16:53:06Z",
                 "region": "us-east-1", "resources": ["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"],
                 "detail": {}}
                """));
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
