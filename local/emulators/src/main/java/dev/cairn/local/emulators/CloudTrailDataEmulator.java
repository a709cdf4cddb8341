package dev.cairn.local.emulators;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudtraildata.CloudTrailDataClient;
import software.amazon.awssdk.services.cloudtraildata.model.AuditEvent;
import software.amazon.awssdk.services.cloudtraildata.model.AuditEventResultEntry;
import software.amazon.awssdk.services.cloudtraildata.model.PutAuditEventsRequest;
import software.amazon.awssdk.services.cloudtraildata.model.PutAuditEventsResponse;

/**
 * CloudTrail Lake's {@code PutAuditEvents} for the anchorer's custom channel: every event is
 * accepted and kept, and each gets a result entry with its id (API reference: {@code
 * successful[].id}, {@code eventID}).
 */
public final class CloudTrailDataEmulator implements CloudTrailDataClient {

  private final List<AuditEvent> events = new ArrayList<>();

  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  @Override
  public synchronized PutAuditEventsResponse putAuditEvents(PutAuditEventsRequest request) {
    List<AuditEventResultEntry> ok = new ArrayList<>();
    for (AuditEvent e : request.auditEvents()) {
      events.add(e);
      ok.add(
          AuditEventResultEntry.builder().id(e.id()).eventID("sandbox-" + events.size()).build());
    }
    return PutAuditEventsResponse.builder().successful(ok).failed(List.of()).build();
  }

  @Override
  public String serviceName() {
    return "cloudtrail-data";
  }

  @Override
  public void close() {}
}
