package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSONPath for ASL (spec: "Paths" and "Reference Paths"). A path starting with {@code $$} reads the
 * context object. Reads use Jayway JsonPath; writes ({@code ResultPath}) accept only Reference
 * Paths, which identify a single node.
 */
public final class JsonPaths {
  private static final Configuration CONF =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(Asl.JSON))
          .mappingProvider(new JacksonMappingProvider(Asl.JSON))
          .build();

  private JsonPaths() {}

  /** True when {@code path} is a syntactically valid ASL path ({@code $} or {@code $$} rooted). */
  public static boolean isPath(String path) {
    if (path == null || !path.startsWith("$")) {
      return false;
    }
    try {
      JsonPath.compile(path.startsWith("$$") ? path.substring(1) : path);
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * Reads {@code path} from {@code input} (or from {@code context} for {@code $$} paths). Empty
   * when the path matches nothing.
   */
  public static Optional<JsonNode> read(String path, JsonNode input, JsonNode context) {
    JsonNode doc = input;
    String p = path;
    if (path.startsWith("$$")) {
      doc = context;
      p = path.substring(1);
    }
    if ("$".equals(p)) {
      return Optional.of(doc);
    }
    try {
      JsonPath compiled = JsonPath.compile(p);
      Object value = JsonPath.using(CONF).parse(doc).read(compiled);
      JsonNode node = value == null ? NullNode.getInstance() : Asl.JSON.valueToTree(value);
      return Optional.of(node);
    } catch (InvalidPathException e) {
      if (e instanceof com.jayway.jsonpath.PathNotFoundException) {
        return Optional.empty();
      }
      throw new AslError(Asl.RUNTIME, "Invalid path '" + path + "': " + e.getMessage());
    } catch (JsonPathException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A segment of a Reference Path: a field name or an array index. */
  private record Segment(String field, int index) {
    boolean isField() {
      return field != null;
    }
  }

  /** Parses a Reference Path; empty when it is not one (wildcards, filters, slices...). */
  static Optional<List<Segment>> referencePath(String path) {
    if (path == null || !path.startsWith("$") || path.startsWith("$$")) {
      return Optional.empty();
    }
    List<Segment> segments = new ArrayList<>();
    int i = 1;
    int n = path.length();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        int j = i + 1;
        while (j < n && path.charAt(j) != '.' && path.charAt(j) != '[') {
          j++;
        }
        String name = path.substring(i + 1, j);
        if (name.isEmpty() || name.contains("*") || name.contains("@")) {
          return Optional.empty();
        }
        segments.add(new Segment(name, -1));
        i = j;
      } else if (c == '[') {
        int close;
        if (i + 1 < n && (path.charAt(i + 1) == '\'' || path.charAt(i + 1) == '"')) {
          char q = path.charAt(i + 1);
          int end = path.indexOf(q, i + 2);
          if (end < 0 || end + 1 >= n || path.charAt(end + 1) != ']') {
            return Optional.empty();
          }
          segments.add(new Segment(path.substring(i + 2, end), -1));
          close = end + 1;
        } else {
          close = path.indexOf(']', i);
          if (close < 0) {
            return Optional.empty();
          }
          String idx = path.substring(i + 1, close);
          if (!idx.matches("\\d+")) {
            return Optional.empty();
          }
          segments.add(new Segment(null, Integer.parseInt(idx)));
        }
        i = close + 1;
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(segments);
  }

  /** True when {@code path} is a Reference Path. */
  public static boolean isReferencePath(String path) {
    return "$".equals(path) || referencePath(path).isPresent();
  }

  /**
   * Returns a copy of {@code input} with {@code value} placed at the Reference Path {@code path},
   * creating intermediate objects. Throws {@code States.ResultPathMatchFailure} when a step cannot
   * be applied.
   */
  public static JsonNode set(JsonNode input, String path, JsonNode value) {
    if ("$".equals(path)) {
      return value;
    }
    List<Segment> segments =
        referencePath(path)
            .orElseThrow(() -> new AslError(Asl.RUNTIME, "Invalid ReferencePath '" + path + "'"));
    JsonNode root = input.deepCopy();
    JsonNode current = root;
    for (int k = 0; k < segments.size(); k++) {
      Segment s = segments.get(k);
      boolean last = k == segments.size() - 1;
      if (s.isField()) {
        if (!(current instanceof ObjectNode obj)) {
          throw mismatch(path, input);
        }
        if (last) {
          obj.set(s.field(), value);
        } else {
          JsonNode next = obj.get(s.field());
          if (next == null || next.isNull()) {
            next = JsonNodeFactory.instance.objectNode();
            obj.set(s.field(), next);
          }
          current = next;
        }
      } else {
        if (!(current instanceof ArrayNode arr) || s.index() >= arr.size()) {
          throw mismatch(path, input);
        }
        if (last) {
          arr.set(s.index(), value);
        } else {
          current = arr.get(s.index());
        }
      }
    }
    return root;
  }

  private static AslError mismatch(String path, JsonNode input) {
    return new AslError(
        Asl.RESULT_PATH_MATCH_FAILURE,
        "Unable to apply ReferencePath " + path + " to input " + Asl.write(input));
  }
}
