package dev.cairn.aws.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.port.OverrideNotifier;
import dev.cairn.core.pipeline.TransientError;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sns.SnsClient;

/** Override events on EventBridge ({@code Source: cairn.override}) and alerts on SNS. */
public final class AwsOverrideNotifier implements OverrideNotifier {

  public static final String SOURCE = "cairn.override";

  private final EventBridgeClient events;
  private final String eventBusName;
  private final SnsClient sns;
  private final String alertTopicArn;

  public AwsOverrideNotifier(
      EventBridgeClient events, String eventBusName, SnsClient sns, String alertTopicArn) {
    this.events = events;
    this.eventBusName = eventBusName;
    this.sns = sns;
    this.alertTopicArn = alertTopicArn;
  }

  @Override
  public void event(String detailType, ObjectNode detail) {
    var resp =
        TransientErrors.translate(
            () ->
                events.putEvents(
                    r ->
                        r.entries(
                            PutEventsRequestEntry.builder()
                                .eventBusName(eventBusName)
                                .source(SOURCE)
                                .detailType(detailType)
                                .detail(Json.compact(detail))
                                .build())));
    if (resp.failedEntryCount() != null && resp.failedEntryCount() > 0) {
      throw new TransientError(
          "EventBridge refused " + detailType + ": " + resp.entries().get(0).errorMessage());
    }
  }

  @Override
  public void alert(String subject, String message) {
    String s = subject.length() > 99 ? subject.substring(0, 99) : subject;
    TransientErrors.translate(
        () -> sns.publish(r -> r.topicArn(alertTopicArn).subject(s).message(message)));
  }

  /** Override events on {@code EVENT_BUS_NAME} and alerts to {@code ALERT_TOPIC_ARN}. */
  public static AwsOverrideNotifier of(ControlPlaneWiring w) {
    return new AwsOverrideNotifier(
        w.clients().client(EventBridgeClient.class),
        w.required("EVENT_BUS_NAME"),
        w.clients().client(SnsClient.class),
        w.required("ALERT_TOPIC_ARN"));
  }
}
