package dev.cairn.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads and writes JSON trees with jackson-core's parser and generator alone, giving the trees and
 * text that {@link Json}'s strict {@code ObjectMapper} gives, without building one.
 *
 * <p>Why: building that mapper is about a tenth of a second of a fresh JVM's CPU (its
 * introspectors, type factory and caches, each first run in the interpreter), and a CLI command
 * such as {@code cairn manifest verify} only ever reads and writes trees. {@code JsonTreesTest}
 * holds both directions to the mapper's: the same tree (node classes and values, so the canonical
 * form a signature covers is unchanged) and the same refusal for every input, and the same text for
 * every tree.
 *
 * <p>The mapper's reading, as configured in {@link Json}, and how it is kept here:
 *
 * <ul>
 *   <li>duplicate member names: refused by the parser ({@code STRICT_DUPLICATE_DETECTION}), before
 *       any tree sees them;
 *   <li>trailing tokens: refused with the mapper's exception and message ({@code
 *       FAIL_ON_TRAILING_TOKENS});
 *   <li>integers: {@code IntNode}, {@code LongNode} or {@code BigIntegerNode} by size;
 *   <li>other numbers: {@code DecimalNode} ({@code USE_BIG_DECIMAL_FOR_FLOATS}), trailing zeros
 *       stripped as the node factory's default says;
 *   <li>no content at all: {@code MissingNode}.
 * </ul>
 */
final class JsonTrees {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** The one tree in {@code p}'s input; closes {@code p}. */
  static JsonNode read(JsonParser p) throws IOException {
    try (p) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return MissingNode.getInstance();
      }
      JsonNode root = value(p, first);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw MismatchedInputException.from(
            p,
            JsonNode.class,
            String.format(
                "Trailing token (of type %s) found after value (bound as %s): not allowed as per"
                    + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`",
                trailing, "`" + JsonNode.class.getName() + "`"));
      }
      return root;
    }
  }

  /** Nesting is bounded by the parser's {@code maxNestingDepth}, so this recursion is too. */
  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        ObjectNode o = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          o.set(name, value(p, p.nextToken()));
        }
        return o;
      case START_ARRAY:
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(value(p, e));
        }
        return a;
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        BigDecimal d = p.getDecimalValue();
        if (NODES.willStripTrailingBigDecimalZeroes()) {
          try {
            d = d.stripTrailingZeros();
          } catch (ArithmeticException e) {
            // As the mapper does: a scale that cannot be reduced stays as written.
          }
        }
        return NODES.numberNode(d);
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        // END_OBJECT or END_ARRAY where a value belongs cannot come from the parser, and
        // VALUE_EMBEDDED_OBJECT only from a non-text source.
        throw MismatchedInputException.from(p, JsonNode.class, "unexpected token " + t);
    }
  }

  /**
   * Whether {@link #write} can write {@code value}: a tree of objects, arrays and scalars. A {@code
   * POJONode} needs the mapper's serializers, and a {@code BinaryNode} its base64 variant.
   */
  static boolean writable(Object value) {
    if (!(value instanceof JsonNode node)) {
      return false;
    }
    if (!(node.isContainerNode()
        || node.isTextual()
        || node.isNumber()
        || node.isBoolean()
        || node.isNull())) {
      return false;
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (!writable(child)) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code tree} as text, pretty-printed as the mapper's default pretty printer does. */
  static String write(JsonFactory factory, JsonNode tree, boolean pretty) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(out)) {
      if (pretty) {
        g.setPrettyPrinter(new DefaultPrettyPrinter());
      }
      write(g, tree);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    if (node instanceof ObjectNode o) {
      g.writeStartObject(o, o.size());
      for (Map.Entry<String, JsonNode> member : o.properties()) {
        g.writeFieldName(member.getKey());
        write(g, member.getValue());
      }
      g.writeEndObject();
    } else if (node instanceof ArrayNode a) {
      g.writeStartArray(a, a.size());
      for (JsonNode element : a) {
        write(g, element);
      }
      g.writeEndArray();
    } else if (node.isTextual()) {
      g.writeString(node.textValue());
    } else if (node.isNumber()) {
      // Numbers write themselves (writeNumber of their own type) and never read the provider.
      ((ValueNode) node).serialize(g, null);
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else {
      g.writeNull();
    }
  }
}
