package dev.cairn.core.sweep.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Port: EventBridge {@code PutEvents} on the pipeline bus, with the caller's {@code Source} ({@code
 * cairn.sweeper}, {@code cairn.finalizer}). Adapter: {@code EventBridgePipelineEvents}.
 */
@FunctionalInterface
public interface PipelineEvents {

  /** One event; {@code detailType} is spec vocabulary ({@code SweeperTriggered}, ...). */
  void publish(String detailType, ObjectNode detail);
}
