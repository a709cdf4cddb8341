package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * An honest EventBridge {@code PutEvents}:
 *
 * <ul>
 *   <li>1..10 entries per call, else {@code ValidationException} (400) for the whole call.
 *   <li>The total entry size (computed as the EventBridge user guide's "Calculating PutEvents event
 *       entry size": Time 14 bytes, UTF-8 bytes of Source, DetailType, Detail and each Resource)
 *       must be below 256 KB, else {@code ValidationException}.
 *   <li>Per entry, as the service: a Detail that is not a JSON object fails <em>that entry</em>
 *       with {@code ErrorCode=MalformedDetail}, "Detail is malformed."; a missing Source,
 *       DetailType or Detail fails it with {@code InvalidArgument}. Failed entries count in {@code
 *       FailedEntryCount} and are not recorded as events.
 * </ul>
 *
 * Accepted entries are kept in order ({@link #events()}); {@code EventBusName} defaults to {@code
 * default}; {@code Time} defaults to the injected clock.
 */
public final class EventBridgeEmulator implements EventBridgeClient {

  /** An accepted event. */
  public record Event(
      String id,
      String eventBusName,
      String source,
      String detailType,
      String detail,
      List<String> resources,
      Instant time) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TOTAL_SIZE = 256 * 1024;

  private final Clock clock;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final List<Event> events = new ArrayList<>();

  public EventBridgeEmulator(Clock clock) {
    this.clock = clock;
  }

  /** Accepted events, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The detail types of accepted events, in order, with repeats. */
  public synchronized List<String> detailTypes() {
    return events.stream().map(Event::detailType).toList();
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(
      String operation, int times, java.util.function.Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public synchronized PutEventsResponse putEvents(PutEventsRequest request) {
    calls.record("PutEvents", request);
    List<PutEventsRequestEntry> entries = request.entries();
    if (entries.isEmpty() || entries.size() > 10) {
      throw validation(
          "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length "
              + (entries.isEmpty() ? "greater than or equal to 1" : "less than or equal to 10"));
    }
    long total = 0;
    for (PutEventsRequestEntry e : entries) {
      total += size(e);
    }
    if (total >= MAX_TOTAL_SIZE) {
      throw validation("Total size of the entries in the request is over the limit.");
    }
    List<PutEventsResultEntry> results = new ArrayList<>();
    int failed = 0;
    for (PutEventsRequestEntry e : entries) {
      String error = null;
      String message = null;
      if (e.source() == null || e.detailType() == null || e.detail() == null) {
        error = "InvalidArgument";
        message = "Parameter(s) Source, DetailType and Detail are required.";
      } else if (!jsonObject(e.detail())) {
        error = "MalformedDetail";
        message = "Detail is malformed.";
      }
      if (error != null) {
        failed++;
        results.add(PutEventsResultEntry.builder().errorCode(error).errorMessage(message).build());
        continue;
      }
      String id = UUID.randomUUID().toString();
      events.add(
          new Event(
              id,
              e.eventBusName() == null ? "default" : e.eventBusName(),
              e.source(),
              e.detailType(),
              e.detail(),
              List.copyOf(e.resources()),
              e.time() == null ? clock.instant() : e.time()));
      results.add(PutEventsResultEntry.builder().eventId(id).build());
    }
    return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
  }

  private static long size(PutEventsRequestEntry e) {
    long size = e.time() != null ? 14 : 0;
    size += bytes(e.source()) + bytes(e.detailType()) + bytes(e.detail());
    for (String r : e.resources()) {
      size += bytes(r);
    }
    return size;
  }

  private static int bytes(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean jsonObject(String detail) {
    try {
      JsonNode node = JSON.readTree(detail);
      return node != null && node.isObject();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static EventBridgeException validation(String message) {
    return AwsErrors.error(
        EventBridgeException.builder(), "EventBridge", "ValidationException", 400, message);
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
