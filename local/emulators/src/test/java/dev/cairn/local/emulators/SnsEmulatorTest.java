package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;

class SnsEmulatorTest {

  private static final String TOPIC = "arn:aws:sns:eu-west-1:111111111111:audit-anchor-publish";
  private final SnsEmulator sns = new SnsEmulator(Set.of(TOPIC));

  @Test
  void publish_recordsTheMessage_andReturnsAMessageId() {
    PublishRequest request =
        PublishRequest.builder()
            .topicArn(TOPIC)
            .subject("anchor")
            .message("{\"head_hash\":\"abc\"}")
            .messageAttributes(
                Map.of(
                    "kind",
                    MessageAttributeValue.builder()
                        .dataType("String")
                        .stringValue("anchor")
                        .build()))
            .build();
    String id = sns.publish(request).messageId();
    assertThat(id).isNotBlank();
    assertThat(sns.published())
        .singleElement()
        .isEqualTo(
            new SnsEmulator.Published(
                id, TOPIC, "anchor", "{\"head_hash\":\"abc\"}", Map.of("kind", "anchor")));
    assertThat(sns.requests()).containsExactly(request);
  }

  @Test
  void publish_unknownTopic_isNotFound404_andEmptyMessageIsInvalidParameter() {
    assertThatThrownBy(
            () -> sns.publish(r -> r.topicArn("arn:aws:sns:eu-west-1:111111111111:x").message("m")))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotFound");
              assertThat(e.statusCode()).isEqualTo(404);
            });
    assertThatThrownBy(() -> sns.publish(r -> r.topicArn(TOPIC).message("")))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    assertThat(sns.published()).isEmpty();
  }
}
