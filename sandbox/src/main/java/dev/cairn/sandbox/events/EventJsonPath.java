package dev.cairn.sandbox.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON paths EventBridge reads in {@code InputPath} and {@code InputPathsMap} values.
 *
 * <p>User Guide, "Amazon EventBridge input transformation": "EventBridge does not support all JSON
 * Path syntax and evaluate it at runtime. Supported syntax includes: dot notation (for example,
 * $.detail), dashes, underscores, alphanumeric characters, array indices, wildcards (*), forward
 * slashes". PutTargets API reference, {@code InputPathsMap}: "You must use JSON dot notation, not
 * bracket notation."
 *
 * <p>This class accepts {@code $}, dot segments of {@code [A-Za-z0-9_-/]} and array indices {@code
 * [n]}. Wildcards are refused as a sandbox limitation (the docs do not say what a wildcard yields),
 * with a message that says so.
 */
final class EventJsonPath {

  private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z0-9_\\-/]+)|\\[(\\d+)]");

  private final String text;
  private final List<Object> steps; // String field name or Integer index

  private EventJsonPath(String text, List<Object> steps) {
    this.text = text;
    this.steps = List.copyOf(steps);
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException with a message that completes "... is not a JSON path the
   *     sandbox can read: " when the text is not one
   */
  static EventJsonPath parse(String text) {
    if (text == null || !text.startsWith("$")) {
      throw new IllegalArgumentException("must start with '$'");
    }
    if (text.contains("*")) {
      throw new IllegalArgumentException(
          "wildcards are valid in EventBridge but not modelled by the sandbox");
    }
    List<Object> steps = new ArrayList<>();
    Matcher m = SEGMENT.matcher(text);
    int at = 1;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(
            "unsupported syntax at offset " + at + " (dot notation and [index] only)");
      }
      steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
      at = m.end();
    }
    return new EventJsonPath(text, steps);
  }

  /** The value at this path, or empty when the event has nothing there. */
  Optional<JsonNode> read(JsonNode event) {
    JsonNode node = event;
    for (Object step : steps) {
      if (node == null) {
        return Optional.empty();
      }
      node = step instanceof Integer i ? arrayElement(node, i) : objectField(node, (String) step);
    }
    return Optional.ofNullable(node);
  }

  private static JsonNode arrayElement(JsonNode node, int index) {
    return node.isArray() ? node.get(index) : null;
  }

  private static JsonNode objectField(JsonNode node, String name) {
    return node.isObject() ? node.get(name) : null;
  }

  @Override
  public String toString() {
    return text;
  }
}
