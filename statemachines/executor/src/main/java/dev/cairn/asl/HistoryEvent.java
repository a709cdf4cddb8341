package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One execution history event, shaped like Step Functions' {@code GetExecutionHistory}: an id, the
 * previous event's id, a (virtual) timestamp, the type and its details.
 */
public record HistoryEvent(
    long id, long previousEventId, Instant timestamp, String type, ObjectNode details) {

  public HistoryEvent {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("type is required");
    }
    details = details.deepCopy();
  }

  /** The state name, for state events; empty otherwise. */
  public String stateName() {
    JsonNode name = details.get("name");
    return name == null ? "" : name.asText();
  }

  /** The details key Step Functions uses for this type, e.g. {@code stateEnteredEventDetails}. */
  public String detailsKey() {
    if (type.endsWith("StateEntered")) {
      return "stateEnteredEventDetails";
    }
    if (type.endsWith("StateExited")) {
      return "stateExitedEventDetails";
    }
    return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
  }

  /** The event as JSON, in the {@code GetExecutionHistory} layout. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", id);
    node.put("previousEventId", previousEventId);
    node.put("timestamp", Asl.formatTimestamp(timestamp));
    node.put("type", type);
    if (!details.isEmpty()) {
      node.set(detailsKey(), details.deepCopy());
    }
    return node;
  }
}
