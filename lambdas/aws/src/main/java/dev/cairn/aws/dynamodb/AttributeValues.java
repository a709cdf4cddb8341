package dev.cairn.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * JSON ↔ DynamoDB attribute values. Objects become {@code M}, arrays {@code L}, strings {@code S},
 * numbers {@code N}, booleans {@code BOOL}; JSON null members are omitted. Integral numbers read
 * back as integers, so a document's canonical form (and so its hash) survives the round trip.
 */
public final class AttributeValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private AttributeValues() {}

  /** Item attributes from a JSON object. */
  public static Map<String, AttributeValue> fromJson(ObjectNode object) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNull() && !e.getValue().isMissingNode()) {
        item.put(e.getKey(), toValue(e.getValue()));
      }
    }
    return item;
  }

  /** One JSON value as an attribute value. */
  public static AttributeValue toValue(JsonNode v) {
    if (v.isObject()) {
      return AttributeValue.fromM(fromJson((ObjectNode) v));
    }
    if (v.isArray()) {
      List<AttributeValue> list = new ArrayList<>();
      for (JsonNode x : v) {
        list.add(x.isNull() ? AttributeValue.fromNul(true) : toValue(x));
      }
      return AttributeValue.fromL(list);
    }
    if (v.isTextual()) {
      return AttributeValue.fromS(v.asText());
    }
    if (v.isBoolean()) {
      return AttributeValue.fromBool(v.asBoolean());
    }
    if (v.isNumber()) {
      return AttributeValue.fromN(
          v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString());
    }
    throw new IllegalArgumentException("cannot store JSON " + v.getNodeType());
  }

  /** A JSON object from item attributes. */
  public static ObjectNode toJson(Map<String, AttributeValue> item) {
    ObjectNode o = NODES.objectNode();
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      o.set(e.getKey(), toNode(e.getValue()));
    }
    return o;
  }

  /** One attribute value as JSON. Sets and binary are not used by Cairn and are refused. */
  public static JsonNode toNode(AttributeValue v) {
    switch (v.type()) {
      case S:
        return NODES.textNode(v.s());
      case N:
        {
          BigDecimal d = new BigDecimal(v.n());
          if (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0) {
            try {
              return NODES.numberNode(d.longValueExact());
            } catch (ArithmeticException tooBig) {
              return NODES.numberNode(d.toBigIntegerExact());
            }
          }
          return NODES.numberNode(d);
        }
      case BOOL:
        return NODES.booleanNode(v.bool());
      case NUL:
        return NODES.nullNode();
      case M:
        return toJson(v.m());
      case L:
        {
          ArrayNode a = NODES.arrayNode();
          for (AttributeValue x : v.l()) {
            a.add(toNode(x));
          }
          return a;
        }
      default:
        throw new IllegalArgumentException("unsupported attribute type " + v.type());
    }
  }
}
