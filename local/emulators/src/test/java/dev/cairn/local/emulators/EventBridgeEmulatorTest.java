package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

class EventBridgeEmulatorTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private final EventBridgeEmulator events =
      new EventBridgeEmulator(Clock.fixed(NOW, ZoneOffset.UTC));

  private static PutEventsRequestEntry entry(String type, String detail) {
    return PutEventsRequestEntry.builder()
        .source("cairn.pipeline")
        .detailType(type)
        .detail(detail)
        .eventBusName("cairn")
        .build();
  }

  @Test
  void putEvents_recordsEntriesInOrder_andReturnsEventIds() {
    PutEventsResponse r =
        events.putEvents(
            b ->
                b.entries(
                    entry("InvalidArtifact", "{\"gate\":\"SIGNATURE\"}"),
                    entry("DeployFailed", "{}")));
    assertThat(r.failedEntryCount()).isZero();
    assertThat(r.entries()).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
    assertThat(events.detailTypes()).containsExactly("InvalidArtifact", "DeployFailed");
    var first = events.events().get(0);
    assertThat(first.source()).isEqualTo("cairn.pipeline");
    assertThat(first.eventBusName()).isEqualTo("cairn");
    assertThat(first.detail()).isEqualTo("{\"gate\":\"SIGNATURE\"}");
    assertThat(first.time()).isEqualTo(NOW);
    assertThat(first.id()).isEqualTo(r.entries().get(0).eventId());
  }

  @Test
  void putEvents_malformedDetail_failsThatEntryOnly() {
    PutEventsResponse r =
        events.putEvents(b -> b.entries(entry("A", "not json"), entry("B", "{\"ok\":true}")));
    assertThat(r.failedEntryCount()).isEqualTo(1);
    assertThat(r.entries().get(0).errorCode()).isEqualTo("MalformedDetail");
    assertThat(r.entries().get(0).errorMessage()).isEqualTo("Detail is malformed.");
    assertThat(r.entries().get(1).eventId()).isNotBlank();
    assertThat(events.detailTypes()).containsExactly("B");
  }

  @Test
  void putEvents_moreThanTenEntriesOrOver256Kb_isValidationException() {
    List<PutEventsRequestEntry> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(entry("E" + i, "{}"));
    }
    assertThatThrownBy(() -> events.putEvents(b -> b.entries(eleven)))
        .isInstanceOfSatisfying(
            EventBridgeException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    String big = "{\"x\":\"" + "a".repeat(256 * 1024) + "\"}";
    assertThatThrownBy(() -> events.putEvents(b -> b.entries(entry("Big", big))))
        .isInstanceOfSatisfying(
            EventBridgeException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThat(events.events()).isEmpty();
    assertThat(events.callCounts()).containsEntry("PutEvents", 2);
  }

  @Test
  void putEvents_isThreadSafe() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    events.putEvents(b -> b.entries(entry("Concurrent", "{}")));
                  }
                }));
      }
      for (var f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(events.events()).hasSize(800);
    assertThat(events.events().stream().map(EventBridgeEmulator.Event::id).distinct()).hasSize(800);
    assertThat(events.callCounts()).containsEntry("PutEvents", 800);
    assertThat(events.requests()).hasSize(800);
  }
}
