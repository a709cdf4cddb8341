package dev.cairn.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
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
}
