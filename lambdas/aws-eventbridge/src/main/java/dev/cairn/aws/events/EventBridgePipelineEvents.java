package dev.cairn.aws.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.TransientError;
import dev.cairn.core.sweep.port.PipelineEvents;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link PipelineEvents} on EventBridge {@code PutEvents}: one entry per event on the pipeline bus,
 * with a fixed {@code Source} ({@code cairn.sweeper}, {@code cairn.finalizer}). A rejected entry
 * ({@code FailedEntryCount} > 0) is a {@link TransientError} when the code is a throttling or
 * internal failure, else an {@link IllegalStateException}.
 */
public final class EventBridgePipelineEvents implements PipelineEvents {

  /** The sweeper's {@code Source}. */
  public static final String SWEEPER_SOURCE = "cairn.sweeper";

  /** The finalizer's {@code Source}. */
  public static final String FINALIZER_SOURCE = "cairn.finalizer";

  /** Per-entry error codes worth a retry (PutEvents reference). */
  private static final java.util.Set<String> TRANSIENT =
      java.util.Set.of("ThrottlingException", "InternalFailure", "InternalException");

  private final EventBridgeClient events;
  private final String busName;
  private final String source;

  public EventBridgePipelineEvents(EventBridgeClient events, String busName, String source) {
    this.events = events;
    this.busName = busName;
    this.source = source;
  }

  @Override
  public void publish(String detailType, ObjectNode detail) {
    PutEventsResponse response =
        events.putEvents(
            r ->
                r.entries(
                    e ->
                        e.eventBusName(busName)
                            .source(source)
                            .detailType(detailType)
                            .detail(Json.compact(detail))));
    Integer failed = response.failedEntryCount();
    if (failed != null && failed > 0) {
      PutEventsResultEntry entry = response.entries().get(0);
      String message =
          "PutEvents rejected "
              + detailType
              + ": "
              + entry.errorCode()
              + " "
              + entry.errorMessage();
      if (TRANSIENT.contains(entry.errorCode())) {
        throw new TransientError(message);
      }
      throw new IllegalStateException(message);
    }
  }

  /** Events from {@code source} on {@code EVENT_BUS_NAME}. */
  public static EventBridgePipelineEvents of(ControlPlaneWiring w, String source) {
    return new EventBridgePipelineEvents(
        w.clients().client(EventBridgeClient.class), w.required("EVENT_BUS_NAME"), source);
  }

  /** SnapStart priming of pipeline and override events. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "EventBridge",
        EventBridgeClient::builder,
        (EventBridgeClient c) ->
            c.putEvents(
                r ->
                    r.entries(
                        e ->
                            e.eventBusName("priming")
                                .source("cairn.priming")
                                .detailType("Priming")
                                .detail("{}"))));
  }
}
