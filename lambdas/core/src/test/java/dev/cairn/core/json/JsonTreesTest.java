package dev.cairn.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Json}'s trees are read and written without its mapper ({@link JsonTrees}). Every document
 * and tree here goes both ways, and both must agree: the same tree, node classes included (a
 * signature covers the canonical form of that tree), the same refusal, the same text.
 */
class JsonTreesTest {

  private static final ObjectMapper MAPPER = Json.mapper();

  /** Hand-picked: the numbers and shapes where a tree reader could differ from the mapper's. */
  private static final List<String> EDGES =
      List.of(
          "",
          "   ",
          "null",
          "true",
          "0",
          "-0",
          "-0.0",
          "1.0",
          "1.10",
          "100",
          "1e2",
          "1E+2",
          "1.5e-3",
          "0.000",
          "2147483647",
          "2147483648",
          "-2147483649",
          "9223372036854775807",
          "9223372036854775808",
          "123456789012345678901234567890",
          "1e999999999",
          "1" + "0".repeat(70),
          "[]",
          "{}",
          "[1, 2.50, \"x\", null, true, false, {\"a\": [ ]}]",
          "{\"a\": 1, \"b\": {\"c\": [1, {\"d\": 2.0}]}}",
          "{\"a\": 1, \"a\": 2}",
          "{\"a\": {\"x\": 1, \"x\": 1}}",
          "{\"a\": 1} {\"b\": 2}",
          "[1] 2",
          "{\"a\": 1}}",
          "{\"a\": 1",
          "[1, 2",
          "{\"a\" 1}",
          "{a: 1}",
          "{\"a\": 1,}",
          "[1,]",
          "// c\n{}",
          "'x'",
          "NaN",
          "Infinity",
          "-",
          "01",
          "1.",
          ".5",
          "\"\\u00e9\\ud83d\\ude00\"",
          "\"lone \\ud800\"",
          "\"bad escape \\x\"",
          "\"raw\ttab\"",
          "\"" + "x".repeat(Json.MAX_STRING_LENGTH + 1) + "\"",
          "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH),
          "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1),
          "{\"k\": " + "9".repeat(65) + "}");

  @Test
  void reading_givesTheMappersTreeOrRefusal_onEdgeCases() {
    for (String doc : EDGES) {
      assertSameReading(doc);
    }
  }

  @Test
  void reading_givesTheMappersTreeOrRefusal_onGeneratedDocuments() {
    SplittableRandom random = new SplittableRandom(20261207);
    for (int i = 0; i < 3_000; i++) {
      String doc = document(random, 0);
      assertSameReading(doc);
      // The same document damaged at one place: refusals must agree too.
      if (!doc.isEmpty()) {
        int at = random.nextInt(doc.length());
        assertSameReading(
            doc.substring(0, at) + "\",}]{:0e".charAt(random.nextInt(8)) + doc.substring(at));
        assertSameReading(doc.substring(0, at));
      }
    }
  }

  @Test
  void writing_givesTheMappersText_forEveryTreeRead() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    List<String> docs = new ArrayList<>(EDGES);
    for (int i = 0; i < 1_000; i++) {
      docs.add(document(random, 0));
    }
    int written = 0;
    for (String doc : docs) {
      JsonNode tree;
      try {
        tree = MAPPER.readTree(doc);
      } catch (Exception refused) {
        continue;
      }
      if (!JsonTrees.writable(tree)) {
        continue;
      }
      assertThat(Json.pretty(tree)).as(doc).isEqualTo(MAPPER.writeValueAsString(tree));
      assertThat(Json.compact(tree))
          .as(doc)
          .isEqualTo(
              MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
      written++;
    }
    assertThat(written).isGreaterThan(900);
  }

  @Test
  void readingBytesAndStreams_agreeWithReadingText() throws Exception {
    String doc = "{\"path\": \"caf\u00e9/\u6587\", \"n\": [1, 2.50, 1e400]}";
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    JsonNode expected = MAPPER.readTree(bytes);
    assertThat(Json.parse(bytes)).isEqualTo(expected);
    assertThat(Json.parse(new java.io.ByteArrayInputStream(bytes))).isEqualTo(expected);
    assertThat(Json.parse(doc)).isEqualTo(expected);
  }

  private static void assertSameReading(String doc) {
    assertThat(outcome(() -> Json.parse(doc)))
        .as(doc)
        .isEqualTo(outcome(() -> MAPPER.readTree(doc)));
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    assertThat(outcome(() -> JsonTrees.read(MAPPER.getFactory().createParser(bytes))))
        .as(doc)
        .isEqualTo(outcome(() -> MAPPER.readTree(bytes)));
  }

  private interface Read {
    JsonNode read() throws Exception;
  }

  /** The tree with each node's class, or the refusal's class and message. */
  private static String outcome(Read read) {
    try {
      return classes(read.read());
    } catch (Exception e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static String classes(JsonNode n) {
    StringBuilder b = new StringBuilder(n.getClass().getSimpleName()).append('(');
    if (n.isObject()) {
      n.properties()
          .forEach(e -> b.append(e.getKey()).append('=').append(classes(e.getValue())).append(','));
    } else if (n.isArray()) {
      n.forEach(e -> b.append(classes(e)).append(','));
    } else if (n.isNumber()) {
      b.append(n.numberValue())
          .append(" scale ")
          .append(n.isBigDecimal() ? n.decimalValue().scale() : 0);
    } else {
      b.append(n.asText());
    }
    return b.append(')').toString();
  }

  private static String document(SplittableRandom random, int depth) {
    int kind = depth >= 5 ? 2 + random.nextInt(5) : random.nextInt(7);
    switch (kind) {
      case 0:
        {
          StringBuilder b = new StringBuilder("{");
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",")
                .append(' ')
                .append('"')
                .append("k")
                .append(random.nextInt(9))
                .append(i);
            b.append("\": ").append(document(random, depth + 1));
          }
          return b.append('}').toString();
        }
      case 1:
        {
          StringBuilder b = new StringBuilder("[");
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(document(random, depth + 1));
          }
          return b.append(']').toString();
        }
      case 2:
        return "\"s" + random.nextInt(1000) + (random.nextBoolean() ? "\\n\\u00e9" : "") + "\"";
      case 3:
        return String.valueOf(random.nextLong() >> random.nextInt(64));
      case 4:
        return (random.nextBoolean() ? "-" : "")
            + random.nextInt(1000)
            + "."
            + random.nextInt(1000)
            + "0".repeat(random.nextInt(3))
            + (random.nextBoolean() ? "e" + (random.nextInt(40) - 20) : "");
      case 5:
        return random.nextBoolean() ? "true" : "false";
      default:
        return "null";
    }
  }
}
