package dev.cairn.lambda.sweeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.TransientError;
import dev.cairn.local.emulators.EventBridgeEmulator;
import org.junit.jupiter.api.Test;

/** {@link EventBridgePipelineEvents} on the EventBridge fake: the exact entry it sends. */
class EventBridgePipelineEventsTest {

  final EventBridgeEmulator bus = new EventBridgeEmulator(new Fixtures.MovingClock());

  @Test
  void publish_sendsOneEntryWithSourceBusAndDetail() throws Exception {
    new EventBridgePipelineEvents(bus, "cairn-pipeline", EventBridgePipelineEvents.SWEEPER_SOURCE)
        .publish("SweeperTriggered", Json.object().put("service", "orders"));
    EventBridgeEmulator.Event e = bus.events().get(0);
    assertThat(e.source()).isEqualTo("cairn.sweeper");
    assertThat(e.eventBusName()).isEqualTo("cairn-pipeline");
    assertThat(e.detailType()).isEqualTo("SweeperTriggered");
    assertThat(Json.parse(e.detail()).path("service").asText()).isEqualTo("orders");
  }

  @Test
  void publish_whenTheEntryIsRejected_failsWithTheEntrysErrorCode() {
    var events =
        new EventBridgePipelineEvents(
            bus, "cairn-pipeline", EventBridgePipelineEvents.SWEEPER_SOURCE);
    assertThatThrownBy(() -> events.publish(null, Json.object()))
        .isInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(TransientError.class)
        .hasMessageContaining("InvalidArgument");
    assertThat(bus.events()).isEmpty();
  }
}
