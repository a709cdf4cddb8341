package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one execution. {@code output} is set only when the execution succeeded; {@code
 * error} and {@code cause} only when it did not ({@code cause} may be null).
 */
public record ExecutionResult(
    ExecutionStatus status,
    JsonNode output,
    String error,
    String cause,
    List<HistoryEvent> history) {

  public ExecutionResult {
    if (status == null) {
      throw new IllegalArgumentException("status is required");
    }
    history = List.copyOf(history);
  }

  /** The names of the states entered, in order (including states inside branches). */
  public List<String> statesEntered() {
    List<String> names = new ArrayList<>();
    for (HistoryEvent e : history) {
      if (e.type().endsWith("StateEntered")) {
        names.add(e.stateName());
      }
    }
    return names;
  }

  /** The {@code cairn statemachine run --format json} object. */
  public ObjectNode toJson(boolean withHistory) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    node.put("status", status.name());
    node.set("output", output == null ? f.nullNode() : output);
    node.set("error", error == null ? f.nullNode() : f.textNode(error));
    node.set("cause", cause == null ? f.nullNode() : f.textNode(cause));
    if (withHistory) {
      ArrayNode events = node.putArray("history");
      history.forEach(e -> events.add(e.toJson()));
    }
    return node;
  }
}
