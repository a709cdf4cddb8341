package dev.cairn.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastCanonicalJsonTest {

  private static void assertSameAsReference(ObjectNode o) {
    String fast = FastCanonicalJson.canonicalWithout(o, "log_hash");
    String reference =
        new String(CanonicalJson.canonicalizeWithout(o, "log_hash"), StandardCharsets.UTF_8);
    assertThat(fast).isEqualTo(reference);
  }

  @Test
  void canonicalWithout_matchesReferenceOnRealEntries() {
    for (ObjectNode e : AuditChainVerifierTest.chain(20)) {
      assertSameAsReference(e);
    }
  }

  @Test
  void canonicalWithout_matchesReferenceOnStringEscapesAndUnicode() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    ObjectNode o = Json.object();
    o.put("controls", controls.toString());
    o.put("quotes", "\"quoted\" \\ back/slash");
    o.put("unicode", "é € \u2028 \u2029 \u007f \uffff 😀 中文");
    o.put("€uro-key", 1);
    o.put("\u0080", 2);
    o.put("Z", 3);
    o.put("a", 4);
    o.put("emoji😀", 5);
    o.put("\uff61", 6);
    o.put("numbers", 9007199254740991L);
    o.put("negative", -9007199254740991L);
    o.put("zero", 0);
    o.putNull("nothing");
    o.put("yes", true);
    ArrayNode a = o.putArray("nested");
    a.add(Json.object().put("b", 1).put("a", "x")).addArray().add(false).add("");
    o.putObject("empty");
    o.putArray("empty_array");
    assertSameAsReference(o);
  }

  @Test
  void canonicalWithout_matchesReferenceOnRandomStrings() {
    Random r = new Random(8785);
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(12);
      for (int j = 0; j < len; j++) {
        int kind = r.nextInt(4);
        sb.appendCodePoint(
            switch (kind) {
              case 0 -> r.nextInt(0x80);
              case 1 -> 0x80 + r.nextInt(0x780);
              case 2 -> 0xE000 + r.nextInt(0x1000);
              default -> 0x10000 + r.nextInt(0x1000);
            });
      }
      ObjectNode o = Json.object();
      o.put(sb.toString(), sb.toString());
      o.put("k" + i, sb.reverse().toString().replaceAll("[\\uD800-\\uDFFF]", "x"));
      assertSameAsReference(o);
    }
  }

  @Test
  void canonicalWithout_declinesWhatItDoesNotCoverExactly() {
    assertThat(FastCanonicalJson.canonicalWithout(Json.object().put("f", 1.5), "log_hash"))
        .isNull();
    assertThat(
            FastCanonicalJson.canonicalWithout(
                Json.object().put("big", 9007199254740992L), "log_hash"))
        .isNull();
    assertThat(FastCanonicalJson.canonicalWithout(Json.object().put("s", "\ud800"), "log_hash"))
        .isNull();
    ObjectNode withFraction = Json.object().put("f", 1.5).put("log_hash", "x");
    assertThat(AuditChain.logHash(withFraction))
        .isEqualTo(
            dev.cairn.core.integrity.Sha256.hex(
                CanonicalJson.canonicalizeWithout(withFraction, "log_hash")));
  }
}
