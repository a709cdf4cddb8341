package dev.cairn.aws.cloudtrail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.anchor.AnchorTrail;
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
}
