package dev.cairn.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 8785 behaviour the signatures rely on. */
class CanonicalJsonTest {

  private static String jcs(String json) throws Exception {
    return CanonicalJson.canonicalString(Json.parse(json));
  }

  @Test
  void canonicalize_sortsKeysByUtf16AndDropsWhitespace() throws Exception {
    assertThat(jcs("{ \"b\" : 1,\n \"a\" : [ true , null ] }"))
        .isEqualTo("{\"a\":[true,null],\"b\":1}");
  }

  @Test
  void canonicalize_rfc8785SortingExample() throws Exception {
    // RFC 8785 section 3.2.3: keys sorted by UTF-16 code units.
    String in =
        "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    assertThat(jcs(in))
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void canonicalize_numbersAsEcmaScript() throws Exception {
    assertThat(jcs("[42.0, 4.2e1, 1E2, -0, 0.000001, 1e-7, 1e21]"))
        .isEqualTo("[42,42,100,0,0.000001,1e-7,1e+21]");
  }

  @Test
  void canonicalize_escapesOnlyWhatRfc8785Requires() throws Exception {
    assertThat(jcs("[\"\\u002f\\/\\u00e9\\u001f\\\"\"]")).isEqualTo("[\"//\u00e9\\u001f\\\"\"]");
  }

  @Test
  void canonicalizeWithout_removesOnlyTopLevelMember() throws Exception {
    var node =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.parse("{\"signature\":\"x\",\"a\":{\"signature\":1}}");
    assertThat(
            new String(
                CanonicalJson.canonicalizeWithout(node, "signature"),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"signature\":1}}");
    assertThat(node.has("signature")).isTrue();
  }

  @Test
  void canonicalize_loneSurrogatesCollide_whichIsWhyTheManifestParserRefusesThem()
      throws Exception {
    // Documented hazard: different strings, same canonical bytes (I-JSON forbids these strings).
    assertThat(CanonicalJson.canonicalize(Json.parse("[\"\\ud800\"]")))
        .isEqualTo(CanonicalJson.canonicalize(Json.parse("[\"\\udbff\"]")));
  }

  @Test
  void strictParse_refusesDuplicateKeysCommentsAndTrailingTokens() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\":1} // c"))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\":1} {}"))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parse("{'a':1}")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parse("[NaN]")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parse("[01]")).isInstanceOf(JsonProcessingException.class);
  }

  // The direct writer against the reference implementation over Jackson's text (what
  // CanonicalJson did before, and still does for binary and POJO nodes): the same bytes for every
  // tree, or the same refusal.

  @Test
  void directWriter_equalsTheReferenceImplementation_onGeneratedTrees() {
    SplittableRandom random = new SplittableRandom(8785);
    for (int i = 0; i < 3000; i++) {
      JsonNode tree = tree(random, 0);
      assertThat(outcome(() -> CanonicalJson.canonicalize(tree)))
          .as("tree %d: %s", i, tree)
          .isEqualTo(outcome(() -> CanonicalJson.viaText(tree)));
    }
  }

  @Test
  void directWriter_equalsTheReferenceImplementation_onParsedNumbersAndStrings() throws Exception {
    String[] documents = {
      "[42.0, 4.2e1, 1E2, -0, -0.0, 0.000001, 1e-7, 1e21, 1e400, -1e400, 1e-400]",
      "[9007199254740993, 123456789012345678901234567890, 0.1, 0.30000000000000004, 5e-324]",
      "[1.7976931348623157e308, 2.2250738585072014E-308, 100000000000000000000, 1e+2]",
      "{\"\\u0000\\u001f\\u007f\":\"\\b\\f\\n\\r\\t\\\"\\\\/\",\"\\ud83d\\ude00\":\"\\ud800x\"}",
      "{\"b\":{\"z\":[],\"a\":{}},\"a\":[null,true,false,\"\"]}"
    };
    for (String document : documents) {
      JsonNode tree = Json.parse(document);
      assertThat(outcome(() -> CanonicalJson.canonicalize(tree)))
          .as(document)
          .isEqualTo(outcome(() -> CanonicalJson.viaText(tree)));
    }
  }

  /** The canonical text, or the refusal's message: what a caller can observe. */
  private static String outcome(java.util.function.Supplier<byte[]> canonicalize) {
    try {
      return new String(canonicalize.get(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (UncheckedIOException refused) {
      return "refused: " + refused.getMessage();
    }
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static JsonNode tree(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth >= 4 ? 6 : 8);
    switch (kind) {
      case 6 -> {
        ObjectNode object = NODES.objectNode();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
          object.set(text(random), tree(random, depth + 1));
        }
        return object;
      }
      case 7 -> {
        ArrayNode array = NODES.arrayNode();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
          array.add(tree(random, depth + 1));
        }
        return array;
      }
      case 0 -> {
        return NODES.textNode(text(random));
      }
      case 1 -> {
        return random.nextBoolean() ? NODES.booleanNode(random.nextBoolean()) : NODES.nullNode();
      }
      default -> {
        return number(random);
      }
    }
  }

  private static JsonNode number(SplittableRandom random) {
    return switch (random.nextInt(9)) {
      case 0 -> NODES.numberNode(random.nextInt());
      case 1 -> NODES.numberNode(random.nextLong());
      case 2 ->
          NODES.numberNode(
              new BigInteger(random.nextInt(1, 200), new java.util.Random(random.nextLong())));
      case 3 ->
          NODES.numberNode(
              new BigDecimal(
                  new BigInteger(random.nextInt(1, 80), new java.util.Random(random.nextLong())),
                  random.nextInt(-400, 400)));
      case 4 -> NODES.numberNode(Double.longBitsToDouble(random.nextLong()));
      case 5 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
      case 6 -> NODES.numberNode(Float.intBitsToFloat(random.nextInt()));
      case 7 -> NODES.numberNode((short) random.nextInt());
      default ->
          NODES.numberNode(
              new double[] {
                    0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1e21, 1e-7
                  }
                  [random.nextInt(7)]);
    };
  }

  private static String text(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(6)) {
        case 0 -> s.append((char) random.nextInt(0x20)); // C0 controls
        case 1 -> s.append("\"\\/".charAt(random.nextInt(3)));
        case 2 -> s.append((char) random.nextInt(0x20, 0x7f));
        case 3 -> s.appendCodePoint(random.nextInt(0x80, 0x10000)); // lone surrogates included
        case 4 -> s.appendCodePoint(random.nextInt(0x10000, 0x110000));
        default -> s.append((char) random.nextInt('a', 'e'));
      }
    }
    return s.toString();
  }
}
