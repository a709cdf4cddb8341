package dev.cairn.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one place that decides how Cairn reads JSON that crosses a trust boundary.
 *
 * <p>Strict by construction: duplicate keys are an error (never "last one wins"), trailing tokens
 * are an error, nesting depth and string/number lengths are bounded so hostile input cannot exhaust
 * the stack or the heap.
 */
public final class Json {

  /** Deepest nesting accepted in any boundary document. Manifests need 4. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Longest single string value accepted (a PEM key or base64 signature fits easily). */
  public static final int MAX_STRING_LENGTH = 1 << 20;

  private static final ObjectMapper STRICT =
      JsonMapper.builder(
              new com.fasterxml.jackson.core.JsonFactoryBuilder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(64)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Json() {}

  /** The strict mapper. Safe to share; configured once. */
  public static ObjectMapper mapper() {
    return STRICT;
  }

  /** Parses bytes strictly. Throws {@link JsonProcessingException} for any violation. */
  public static JsonNode parse(byte[] bytes) throws IOException {
    return STRICT.readTree(bytes);
  }

  /** Parses a stream strictly. */
  public static JsonNode parse(InputStream in) throws IOException {
    return STRICT.readTree(in);
  }

  /** Parses a string strictly. */
  public static JsonNode parse(String text) throws IOException {
    return STRICT.readTree(text);
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return STRICT.createObjectNode();
  }

  /** Pretty-printed JSON for humans and files. */
  public static String pretty(Object value) {
    try {
      return STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON on one line (JSON Lines, log fields). */
  public static String compact(Object value) {
    try {
      return STRICT.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
