package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.List;

/**
 * Argument checks and conversions shared by the intrinsic functions. Every failure is {@code
 * States.IntrinsicFailure}, worded as Step Functions words it.
 */
final class IntrinsicArgs {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private IntrinsicArgs() {}

  static AslError fail(String cause) {
    return new AslError(Asl.INTRINSIC_FAILURE, cause);
  }

  static JsonNode number(BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    if (v.scale() <= 0 && v.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
      long l = v.longValueExact();
      return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE
          ? F.numberNode((int) l)
          : F.numberNode(l);
    }
    return F.numberNode(value);
  }

  static void arity(String name, List<JsonNode> a, int min, int max) {
    if (a.size() < min || a.size() > max) {
      String expected = min == max ? String.valueOf(min) : min + " to " + max;
      throw fail(
          "Invalid number of arguments in "
              + name
              + ": expected "
              + expected
              + ", received "
              + a.size());
    }
  }

  static String text(String name, JsonNode n) {
    if (!n.isTextual()) {
      throw fail("Invalid argument type in " + name + ": expected a string, received " + n);
    }
    return n.asText();
  }

  static ArrayNode array(String name, JsonNode n) {
    if (!n.isArray()) {
      throw fail("Invalid argument type in " + name + ": expected an array, received " + n);
    }
    return (ArrayNode) n;
  }

  static long integer(String name, JsonNode n) {
    if (!n.isNumber()) {
      throw fail("Invalid argument type in " + name + ": expected an integer, received " + n);
    }
    BigDecimal d = n.decimalValue();
    try {
      return d.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw fail("Invalid argument in " + name + ": expected an integer, received " + n);
    }
  }

  static boolean equalJson(JsonNode x, JsonNode y) {
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue()) == 0;
    }
    return x.equals(y);
  }
}
