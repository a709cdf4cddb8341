package dev.cairn.asl;

import static dev.cairn.asl.IntrinsicArgs.arity;
import static dev.cairn.asl.IntrinsicArgs.array;
import static dev.cairn.asl.IntrinsicArgs.equalJson;
import static dev.cairn.asl.IntrinsicArgs.fail;
import static dev.cairn.asl.IntrinsicArgs.integer;
import static dev.cairn.asl.IntrinsicArgs.number;
import static dev.cairn.asl.IntrinsicArgs.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.UUID;

/**
 * The intrinsic functions ({@code States.*}). {@link IntrinsicParser} reads a call, this class
 * applies each function to its evaluated arguments. Every failure is {@code
 * States.IntrinsicFailure}.
 */
public final class Intrinsics {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_RANGE = 1000;
  private static final Map<String, String> HASHES =
      Map.of(
          "MD5", "MD5",
          "SHA-1", "SHA-1",
          "SHA-256", "SHA-256",
          "SHA-384", "SHA-384",
          "SHA-512", "SHA-512");

  private final Random random;

  public Intrinsics(Random random) {
    this.random = random;
  }

  /** True when a {@code .$} value is an intrinsic call rather than a path. */
  public static boolean isIntrinsic(String text) {
    return text != null && text.startsWith("States.");
  }

  /** Evaluates {@code expression} against the state's input and the context object. */
  public JsonNode evaluate(String expression, JsonNode input, JsonNode context) {
    return IntrinsicParser.parse(expression).eval(this, input, context);
  }

  JsonNode apply(String name, List<JsonNode> a) {
    switch (name) {
      case "States.Format":
        return format(a);
      case "States.StringToJson":
        {
          arity(name, a, 1, 1);
          try {
            return Asl.parse(text(name, a.get(0)));
          } catch (IllegalArgumentException e) {
            throw fail("Invalid JSON string in States.StringToJson: " + a.get(0).asText());
          }
        }
      case "States.JsonToString":
        arity(name, a, 1, 1);
        return F.textNode(Asl.write(a.get(0)));
      case "States.Array":
        {
          ArrayNode out = F.arrayNode();
          a.forEach(out::add);
          return out;
        }
      case "States.ArrayPartition":
        {
          arity(name, a, 2, 2);
          ArrayNode in = array(name, a.get(0));
          long size = integer(name, a.get(1));
          if (size <= 0) {
            throw fail("Invalid argument in States.ArrayPartition: chunk size must be positive");
          }
          ArrayNode out = F.arrayNode();
          ArrayNode chunk = null;
          for (int k = 0; k < in.size(); k++) {
            if (k % size == 0) {
              chunk = out.addArray();
            }
            chunk.add(in.get(k));
          }
          return out;
        }
      case "States.ArrayContains":
        {
          arity(name, a, 2, 2);
          ArrayNode in = array(name, a.get(0));
          for (JsonNode e : in) {
            if (equalJson(e, a.get(1))) {
              return F.booleanNode(true);
            }
          }
          return F.booleanNode(false);
        }
      case "States.ArrayRange":
        {
          arity(name, a, 3, 3);
          long start = integer(name, a.get(0));
          long end = integer(name, a.get(1));
          long step = integer(name, a.get(2));
          if (step == 0) {
            throw fail("Invalid argument in States.ArrayRange: step must not be 0");
          }
          ArrayNode out = F.arrayNode();
          for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (out.size() >= MAX_RANGE) {
              throw fail("States.ArrayRange may not produce more than 1000 elements");
            }
            out.add(number(BigDecimal.valueOf(v)));
          }
          return out;
        }
      case "States.ArrayGetItem":
        {
          arity(name, a, 2, 2);
          ArrayNode in = array(name, a.get(0));
          long idx = integer(name, a.get(1));
          if (idx < 0 || idx >= in.size()) {
            throw fail("Index " + idx + " is out of bounds in States.ArrayGetItem");
          }
          return in.get((int) idx);
        }
      case "States.ArrayLength":
        arity(name, a, 1, 1);
        return F.numberNode(array(name, a.get(0)).size());
      case "States.ArrayUnique":
        {
          arity(name, a, 1, 1);
          ArrayNode out = F.arrayNode();
          Set<JsonNode> seen = new LinkedHashSet<>();
          for (JsonNode e : array(name, a.get(0))) {
            if (seen.stream().noneMatch(x -> equalJson(x, e))) {
              seen.add(e);
              out.add(e);
            }
          }
          return out;
        }
      case "States.Base64Encode":
        arity(name, a, 1, 1);
        return F.textNode(
            Base64.getEncoder()
                .encodeToString(text(name, a.get(0)).getBytes(StandardCharsets.UTF_8)));
      case "States.Base64Decode":
        {
          arity(name, a, 1, 1);
          try {
            return F.textNode(
                new String(
                    Base64.getDecoder().decode(text(name, a.get(0))), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw fail("Invalid base64 string in States.Base64Decode");
          }
        }
      case "States.Hash":
        {
          arity(name, a, 2, 2);
          JsonNode data = a.get(0);
          String algorithm = text(name, a.get(1));
          String jca = HASHES.get(algorithm);
          if (jca == null) {
            throw fail(
                "Invalid hash algorithm '"
                    + algorithm
                    + "' in States.Hash; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
          }
          String input = data.isTextual() ? data.asText() : Asl.write(data);
          try {
            byte[] digest =
                MessageDigest.getInstance(jca).digest(input.getBytes(StandardCharsets.UTF_8));
            return F.textNode(HexFormat.of().formatHex(digest));
          } catch (NoSuchAlgorithmException e) {
            throw fail("Hash algorithm not available: " + algorithm);
          }
        }
      case "States.JsonMerge":
        {
          arity(name, a, 3, 3);
          if (!a.get(0).isObject() || !a.get(1).isObject()) {
            throw fail("Invalid argument type in States.JsonMerge: expected two objects");
          }
          if (!a.get(2).isBoolean()) {
            throw fail("Invalid argument type in States.JsonMerge: expected a boolean");
          }
          if (a.get(2).asBoolean()) {
            throw fail("States.JsonMerge supports only a shallow merge (false)");
          }
          ObjectNode out = a.get(0).deepCopy();
          Iterator<Map.Entry<String, JsonNode>> it = a.get(1).fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), e.getValue());
          }
          return out;
        }
      case "States.MathRandom":
        {
          arity(name, a, 2, 3);
          long start = integer(name, a.get(0));
          long end = integer(name, a.get(1));
          if (end <= start) {
            throw fail("Invalid range in States.MathRandom: end must be greater than start");
          }
          Random r = a.size() == 3 ? new Random(integer(name, a.get(2))) : random;
          long v = start + (long) Math.floor(r.nextDouble() * (end - start));
          return number(BigDecimal.valueOf(v));
        }
      case "States.MathAdd":
        {
          arity(name, a, 2, 2);
          return number(BigDecimal.valueOf(integer(name, a.get(0)) + integer(name, a.get(1))));
        }
      case "States.StringSplit":
        {
          arity(name, a, 2, 2);
          StringTokenizer t = new StringTokenizer(text(name, a.get(0)), text(name, a.get(1)));
          ArrayNode out = F.arrayNode();
          while (t.hasMoreTokens()) {
            out.add(t.nextToken());
          }
          return out;
        }
      case "States.UUID":
        {
          arity(name, a, 0, 0);
          byte[] b = new byte[16];
          random.nextBytes(b);
          b[6] = (byte) ((b[6] & 0x0f) | 0x40);
          b[8] = (byte) ((b[8] & 0x3f) | 0x80);
          long msb = 0;
          long lsb = 0;
          for (int k = 0; k < 8; k++) {
            msb = (msb << 8) | (b[k] & 0xff);
            lsb = (lsb << 8) | (b[k + 8] & 0xff);
          }
          return F.textNode(new UUID(msb, lsb).toString());
        }
      default:
        throw fail("Unknown intrinsic function '" + name + "'");
    }
  }

  private JsonNode format(List<JsonNode> a) {
    if (a.isEmpty()) {
      throw fail("Invalid number of arguments in States.Format: expected at least 1");
    }
    String template = text("States.Format", a.get(0));
    StringBuilder out = new StringBuilder();
    int arg = 1;
    for (int k = 0; k < template.length(); k++) {
      char c = template.charAt(k);
      if (c == '\\' && k + 1 < template.length()) {
        out.append(template.charAt(++k));
      } else if (c == '{' && k + 1 < template.length() && template.charAt(k + 1) == '}') {
        if (arg >= a.size()) {
          throw fail("Number of arguments in States.Format do not match the occurrences of {}");
        }
        JsonNode v = a.get(arg++);
        if (v.isArray() || v.isObject()) {
          throw fail("Invalid argument type in States.Format: expected a value, not " + v);
        }
        out.append(v.isTextual() ? v.asText() : Asl.write(v));
        k++;
      } else {
        out.append(c);
      }
    }
    if (arg != a.size()) {
      throw fail("Number of arguments in States.Format do not match the occurrences of {}");
    }
    return F.textNode(out.toString());
  }
}
