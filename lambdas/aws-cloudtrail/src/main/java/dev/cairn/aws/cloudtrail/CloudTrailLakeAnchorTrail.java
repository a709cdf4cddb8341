package dev.cairn.aws.cloudtrail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.anchor.port.AnchorTrail;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.TransientError;
import software.amazon.awssdk.services.cloudtraildata.CloudTrailDataClient;
import software.amazon.awssdk.services.cloudtraildata.model.AuditEvent;
import software.amazon.awssdk.services.cloudtraildata.model.PutAuditEventsRequest;

/**
 * The anchor as a CloudTrail Lake custom event ({@code PutAuditEvents} on the configured channel):
 * {@code eventSource cairn.audit-anchorer}, {@code eventName AuditAnchorPublished}, the anchor in
 * {@code additionalEventData}, and the anchor hash as the event id, so a retried call is one event.
 */
public final class CloudTrailLakeAnchorTrail implements AnchorTrail {

  private final CloudTrailDataClient client;
  private final String channelArn;
  private final String principal;

  public CloudTrailLakeAnchorTrail(
      CloudTrailDataClient client, String channelArn, String principal) {
    this.client = client;
    this.channelArn = channelArn;
    this.principal = principal;
  }

  @Override
  public void record(ObjectNode anchor) {
    var resp = TransientErrors.translate(() -> client.putAuditEvents(request(anchor)));
    if (resp.hasFailed() && !resp.failed().isEmpty()) {
      throw new TransientError(
          "CloudTrail Lake refused the anchor event: "
              + resp.failed().get(0).errorCode()
              + " "
              + resp.failed().get(0).errorMessage());
    }
  }

  /** The request for {@code anchor} (public for the request-construction test). */
  public PutAuditEventsRequest request(ObjectNode anchor) {
    ObjectNode data = Json.object();
    data.put("version", "1.0");
    ObjectNode user = data.putObject("userIdentity");
    user.put("type", "AWSService");
    user.put("principalId", principal);
    data.put("eventSource", "cairn.audit-anchorer");
    data.put("eventName", "AuditAnchorPublished");
    data.put("eventTime", anchor.path("anchored_at").asText());
    data.put("UID", anchor.path("anchor_hash").asText());
    data.set("additionalEventData", anchor.deepCopy());
    return PutAuditEventsRequest.builder()
        .channelArn(channelArn)
        .auditEvents(
            AuditEvent.builder()
                .id(anchor.path("anchor_hash").asText())
                .eventData(Json.compact(data))
                .build())
        .build();
  }

  /**
   * CloudTrail Lake when {@code CLOUDTRAIL_CHANNEL_ARN} is set, else {@link AnchorTrail#NONE}; the
   * events' principal is this function.
   */
  public static AnchorTrail of(ControlPlaneWiring w) {
    String channel = w.environment().get("CLOUDTRAIL_CHANNEL_ARN");
    return channel == null || channel.isBlank()
        ? AnchorTrail.NONE
        : new CloudTrailLakeAnchorTrail(
            w.clients().client(CloudTrailDataClient.class),
            channel,
            w.environment().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "cairn-audit-anchorer"));
  }

  /** SnapStart priming of the anchors' trail. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "CloudTrailData",
        CloudTrailDataClient::builder,
        (CloudTrailDataClient c) ->
            c.putAuditEvents(
                r ->
                    r.channelArn("arn:aws:cloudtrail:us-east-1:000000000000:channel/priming")
                        .auditEvents(e -> e.id("priming").eventData("{}"))));
  }
}
