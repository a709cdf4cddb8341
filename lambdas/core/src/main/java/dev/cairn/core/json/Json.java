package dev.cairn.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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

  /**
   * The parser and generator settings, shared by the trees read and written here ({@link
   * JsonTrees}) and by the mapper: one configuration, whichever reads a document.
   */
  private static final JsonFactory FACTORY =
      new com.fasterxml.jackson.core.JsonFactoryBuilder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxStringLength(MAX_STRING_LENGTH)
                  .maxNumberLength(64)
                  .build())
          // Property names are not pooled: a manifest's 10,000 file paths are each seen once, and
          // pooling them cost a fifth of the verifier's allocation.
          .disable(com.fasterxml.jackson.core.JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  /**
   * The strict mapper, built on first use: trees never need it ({@link JsonTrees}), and building it
   * costs a fresh JVM about a tenth of a second.
   */
  private static final class Strict {
    static final ObjectMapper MAPPER =
        JsonMapper.builder(FACTORY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
  }

  private Json() {}

  /** The strict mapper. Safe to share; configured once. */
  public static ObjectMapper mapper() {
    return Strict.MAPPER;
  }

  /**
   * Parses bytes strictly. Throws {@link JsonProcessingException} for any violation, including text
   * that is not UTF-8: RFC 8259 section 8.1 requires UTF-8 between systems, and Jackson would
   * otherwise auto-detect UTF-16 and UTF-32, and read malformed UTF-8 (a lone continuation byte, an
   * overlong form, an encoded surrogate) as U+FFFD. That last would make two different byte strings
   * one value: a manifest's bytes could then be changed under a signature that covers the value.
   */
  public static JsonNode parse(byte[] bytes) throws IOException {
    requireUtf8(bytes);
    // jackson-core would read these bytes through a replacing InputStreamReader (the factory does
    // not pool names, and then takes that path): the same reader, reporting instead. A UTF-8
    // byte-order mark is skipped, as jackson-core skips it.
    int bom =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    Reader strict =
        new InputStreamReader(
            new ByteArrayInputStream(bytes, bom, bytes.length - bom),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    try {
      return JsonTrees.read(FACTORY.createParser(strict));
    } catch (CharacterCodingException e) {
      throw new JsonParseException(
          null,
          "JSON text is not well-formed UTF-8 (RFC 8259 section 8.1): byte offset "
              + malformedOffset(bytes)
              + " begins a malformed sequence");
    }
  }

  /** Where the first malformed UTF-8 sequence in {@code b} begins (only after one was found). */
  private static long malformedOffset(byte[] b) {
    ByteBuffer in = ByteBuffer.wrap(b);
    CharBuffer out = CharBuffer.allocate(8 * 1024);
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    while (true) {
      CoderResult r = strict.decode(in, out, true);
      if (r.isError() || r.isUnderflow()) {
        return in.position();
      }
      out.clear();
    }
  }

  private static void requireUtf8(byte[] b) throws JsonParseException {
    // JSON text in UTF-8 has no NUL byte (it is neither whitespace nor allowed raw in a string);
    // UTF-16 and UTF-32 JSON has one among its first four bytes, or a UTF-16 byte-order mark.
    boolean utf16Bom =
        b.length >= 2
            && (((b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff)
                || ((b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe));
    boolean nul = false;
    for (int i = 0; i < Math.min(4, b.length); i++) {
      nul |= b[i] == 0;
    }
    if (utf16Bom || nul) {
      throw new JsonParseException(
          null, "JSON text must be UTF-8 (RFC 8259 section 8.1); this looks like UTF-16 or UTF-32");
    }
  }

  /** Parses a stream strictly: its bytes, read whole, as {@link #parse(byte[])} does. */
  public static JsonNode parse(InputStream in) throws IOException {
    return parse(in.readAllBytes());
  }

  /** Parses a string strictly. */
  public static JsonNode parse(String text) throws IOException {
    return JsonTrees.read(FACTORY.createParser(text));
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Pretty-printed JSON for humans and files. */
  public static String pretty(Object value) {
    try {
      return JsonTrees.writable(value)
          ? JsonTrees.write(FACTORY, (JsonNode) value, true)
          : Strict.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON on one line (JSON Lines, log fields). */
  public static String compact(Object value) {
    try {
      return JsonTrees.writable(value)
          ? JsonTrees.write(FACTORY, (JsonNode) value, false)
          : Strict.MAPPER
              .writer()
              .without(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
