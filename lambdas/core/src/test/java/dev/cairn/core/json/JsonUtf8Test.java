package dev.cairn.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Json#parse(byte[])} reads only well-formed UTF-8 (RFC 3629): malformed bytes are refused,
 * not read as U+FFFD, so one value has one spelling in bytes.
 */
class JsonUtf8Test {

  /** {"a":"<bytes>"} */
  private static byte[] document(byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(value);
    out.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] hex(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "80", // a continuation byte with no lead
        "c0af", // an overlong '/'
        "e082af", // an overlong three-byte form
        "eda080", // a surrogate (U+D800), encoded
        "e282", // a sequence cut short
        "f4908080", // past U+10FFFF
        "f888808080", // a five-byte form
        "ff",
        "41e2", // cut short at the end of the value, after ASCII
      })
  void parse_malformedUtf8_isRefused_notReplaced(String bytes) {
    byte[] doc = document(hex(bytes));
    assertThatThrownBy(() -> Json.parse(doc))
        .isInstanceOf(JsonParseException.class)
        .hasMessageContaining("not well-formed UTF-8")
        .hasMessageContaining("byte offset");
    assertThatThrownBy(() -> Json.parse(new ByteArrayInputStream(doc)))
        .isInstanceOf(JsonParseException.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "c3a9", // é
        "efbfbd", // U+FFFD itself, as written
        "f09f9880", // 😀, four bytes
        "e282ac", // €
      })
  void parse_wellFormedUtf8_readsTheCharacters(String bytes) throws Exception {
    byte[] value = hex(bytes);
    assertThat(Json.parse(document(value)).get("a").textValue())
        .isEqualTo(new String(value, StandardCharsets.UTF_8));
  }

  @org.junit.jupiter.api.Test
  void parse_utf8ByteOrderMark_isSkipped_asJacksonSkipsIt() throws Exception {
    byte[] doc = document(hex("c3a9"));
    byte[] withBom = new byte[doc.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(doc, 0, withBom, 3, doc.length);
    assertThat(Json.parse(withBom)).isEqualTo(Json.parse(doc));
  }

  @ParameterizedTest(name = "{0} bytes of ASCII first")
  @ValueSource(ints = {0, 1, 8191, 8192, 20000})
  void parse_malformedByteAfterLongAsciiText_isFoundAtItsOffset(int asciiLength) {
    byte[] prefix = "x".repeat(asciiLength).getBytes(StandardCharsets.US_ASCII);
    byte[] value = new byte[asciiLength + 1];
    System.arraycopy(prefix, 0, value, 0, asciiLength);
    value[asciiLength] = (byte) 0x80;
    assertThatThrownBy(() -> Json.parse(document(value)))
        .hasMessageContaining("byte offset " + (6 + asciiLength) + " ");
  }
}
