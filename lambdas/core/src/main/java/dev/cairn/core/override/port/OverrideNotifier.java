package dev.cairn.core.override.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Port: what the override Lambda tells the world: EventBridge events ({@code Source:
 * cairn.override}, {@code OverrideRequested}, {@code OverrideApplied}) and alerts (SNS).
 */
public interface OverrideNotifier {

  /** One event; {@code detailType} is {@code OverrideRequested} or {@code OverrideApplied}. */
  void event(String detailType, ObjectNode detail);

  /** An alert to the operators' topic (every break_glass, accepted or refused). */
  void alert(String subject, String message);
}
