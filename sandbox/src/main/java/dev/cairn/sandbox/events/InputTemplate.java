package dev.cairn.sandbox.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@code InputTransformer.InputTemplate}, split once into literal text and placeholders, and
 * rendered per event.
 *
 * <p>Sources (EventBridge User Guide "Amazon EventBridge input transformation", and the PutTargets
 * API reference, {@code InputTransformer}):
 *
 * <ol>
 *   <li>"Quotes are not required for variables that represent strings. They are permitted, but
 *       EventBridge automatically adds quotes to string variable values during transformation, to
 *       ensure the transformation output is valid JSON. EventBridge does not add quotes to
 *       variables that represent JSON objects or arrays." An unquoted placeholder in a JSON
 *       template is therefore replaced by the value as JSON.
 *   <li>"If a JSON path references a JSON object or array, but the variable is referenced in a
 *       string, EventBridge removes any internal quotes to ensure a valid string." A quoted
 *       placeholder is replaced by the value's text; an object or array loses its quotes.
 *   <li>"If InputTemplate is a JSON object (surrounded by curly braces), the following restrictions
 *       apply: The placeholder cannot be used as an object key."
 *   <li>{@code aws.events.event} and {@code aws.events.event.json}: "Can only be used as a value
 *       for a JSON field, as it's contents are not escaped."
 *   <li>"The JSON that is passed to the target is minified" (Common issues).
 *   <li>A template that is not JSON ({@code "<instance> is in state <status>"} in the API
 *       reference) receives each value's raw text.
 * </ol>
 *
 * <p>Escaping inside quotes: the User Guide's common issues also say "EventBridge doesn't escape
 * values extracted by Input Path, when populating the Input Template". The sandbox escapes
 * (backslash, quote, control characters) so the target always receives valid JSON; an event whose
 * text would break the JSON in AWS therefore passes here. This is a deliberate, documented
 * divergence.
 */
final class InputTemplate {

  static final String RULE_ARN = "aws.events.rule-arn";
  static final String RULE_NAME = "aws.events.rule-name";
  static final String INGESTION_TIME = "aws.events.event.ingestion-time";
  static final String EVENT = "aws.events.event";
  static final String EVENT_JSON = "aws.events.event.json";
  static final Set<String> PREDEFINED =
      Set.of(RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON);

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Stands in for quoted placeholders while the template's shape is checked. */
  private static final String SENTINEL = "\uE000";

  private sealed interface Part permits Literal, Placeholder {}

  private record Literal(String text) implements Part {}

  private record Placeholder(String name, boolean quoted) implements Part {}

  private final List<Part> parts;
  private final boolean json;

  private InputTemplate(List<Part> parts, boolean json) {
    this.parts = List.copyOf(parts);
    this.json = json;
  }

  /**
   * Parses a template whose placeholders are {@code variables} plus the predefined ones.
   *
   * @throws IllegalArgumentException when a JSON-shaped template would not give valid JSON, uses a
   *     placeholder as an object key, or quotes {@code aws.events.event(.json)}
   */
  static InputTemplate parse(String template, Set<String> variables) {
    List<Part> parts = split(template, variables);
    String probe = render(parts, true, p -> p.quoted() ? SENTINEL : "null");
    String trimmed = template.strip();
    JsonNode shape = tryParse(probe);
    if (shape == null) {
      if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        throw new IllegalArgumentException(
            "InputTemplate is JSON-shaped but is not valid JSON once its placeholders are filled in"
                + " (unquoted placeholders stand for JSON values; unknown <names> stay literal)");
      }
      return new InputTemplate(parts, false);
    }
    if (hasSentinelKey(shape)) {
      throw new IllegalArgumentException(
          "InputTemplate uses a placeholder as an object key, which EventBridge does not allow");
    }
    for (Part part : parts) {
      if (part instanceof Placeholder p
          && p.quoted()
          && (p.name().equals(EVENT) || p.name().equals(EVENT_JSON))) {
        throw new IllegalArgumentException(
            "<" + p.name() + "> can only be used as a value for a JSON field, not inside a string");
      }
    }
    return new InputTemplate(parts, true);
  }

  /** True when the template is JSON (object, array, string, ...) rather than plain text. */
  boolean isJson() {
    return json;
  }

  /**
   * Renders the template.
   *
   * @param values each variable's value; a variable missing from the map is one whose path was not
   *     in the event
   * @throws MissingValueException when an unquoted placeholder of a JSON template has no value
   */
  String render(Map<String, JsonNode> values) {
    String text =
        render(
            parts,
            json,
            p -> {
              JsonNode value = values.get(p.name());
              if (value == null) {
                // User Guide, common issues: "If you specify a variable to match a JSON path that
                // doesn't exist in the event, that variable isn't created and won't appear in the
                // output." Inside a string or plain text the placeholder becomes empty text. As an
                // unquoted JSON value nothing would leave invalid JSON, which no target can take:
                // the sandbox says so instead of delivering it.
                if (json && !p.quoted()) {
                  throw new MissingValueException(p.name());
                }
                return "";
              }
              if (!json) {
                return rawText(value);
              }
              if (!p.quoted()) {
                return compact(value);
              }
              String inString =
                  value.isContainerNode() ? compact(value).replace("\"", "") : rawText(value);
              return new String(JsonStringEncoder.getInstance().quoteAsString(inString));
            });
    if (!json) {
      return text;
    }
    JsonNode parsed = tryParse(text);
    if (parsed == null) {
      throw new IllegalStateException("rendered template is not valid JSON: " + text);
    }
    return compact(parsed);
  }

  /** An unquoted placeholder of a JSON template had no value in the event. */
  static final class MissingValueException extends RuntimeException {
    private final String variable;

    MissingValueException(String variable) {
      super("variable <" + variable + "> has no value in the event");
      this.variable = variable;
    }

    String variable() {
      return variable;
    }
  }

  private interface Filler {
    String fill(Placeholder placeholder);
  }

  private static String render(List<Part> parts, boolean json, Filler filler) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal l) {
        out.append(l.text());
      } else {
        out.append(filler.fill((Placeholder) part));
      }
    }
    return out.toString();
  }

  /**
   * Splits on {@code <name>} where name is a known variable, noting whether each placeholder sits
   * inside a JSON string literal (tracked by unescaped double quotes).
   */
  private static List<Part> split(String template, Set<String> variables) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    boolean inString = false;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '<') {
        int end = template.indexOf('>', i + 1);
        if (end > 0) {
          String name = template.substring(i + 1, end);
          if (variables.contains(name) || PREDEFINED.contains(name)) {
            if (!literal.isEmpty()) {
              parts.add(new Literal(literal.toString()));
              literal.setLength(0);
            }
            parts.add(new Placeholder(name, inString));
            i = end + 1;
            continue;
          }
        }
      } else if (inString && c == '\\' && i + 1 < template.length()) {
        literal.append(c).append(template.charAt(i + 1));
        i += 2;
        continue;
      } else if (c == '"') {
        inString = !inString;
      }
      literal.append(c);
      i++;
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    return parts;
  }

  private static JsonNode tryParse(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return STRICT.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean hasSentinelKey(JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().contains(SENTINEL) || hasSentinelKey(field.getValue())) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        if (hasSentinelKey(element)) {
          return true;
        }
      }
    }
    return false;
  }

  static String rawText(JsonNode value) {
    return value.isTextual() ? value.asText() : compact(value);
  }

  static String compact(JsonNode value) {
    try {
      return STRICT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Optional<JsonNode> parseJson(String text) {
    return Optional.ofNullable(tryParse(text));
  }
}
