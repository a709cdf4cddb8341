package dev.cairn.aws.sns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.anchor.port.AnchorPublisher;
import dev.cairn.core.json.Json;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes anchor messages to {@code audit-anchor-publish}. The message body is the anchor
 * document itself (pretty JSON, readable in the external mailbox); {@code cairn audit verify
 * --anchors-file} reads the bodies back, one per line.
 */
public final class SnsAnchorPublisher implements AnchorPublisher {

  private final SnsClient sns;
  private final String topicArn;

  public SnsAnchorPublisher(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  @Override
  public void publish(ObjectNode message) {
    String subject =
        "Cairn audit "
            + message.path("kind").asText()
            + " "
            + message.path("chain_id").asText()
            + " #"
            + message.path("sequence").asLong();
    TransientErrors.translate(
        () ->
            sns.publish(
                r ->
                    r.topicArn(topicArn)
                        .subject(subject)
                        .message(Json.pretty(message))
                        .messageAttributes(
                            Map.of(
                                "kind",
                                MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue(message.path("kind").asText())
                                    .build()))));
  }
}
