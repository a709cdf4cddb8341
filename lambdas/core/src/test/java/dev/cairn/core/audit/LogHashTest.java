package dev.cairn.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * An entry's {@code log_hash} is SHA-256 over the RFC 8785 bytes of the entry without it, as the
 * reference implementation ({@code org.erdtman.jcs}) gives them for the entry's text: real entries,
 * escapes, non-BMP characters, key order, the numbers an entry can hold.
 */
class LogHashTest {

  private static void assertSameAsReference(ObjectNode o) {
    ObjectNode without = o.deepCopy();
    without.remove("log_hash");
    byte[] reference;
    try {
      reference = new JsonCanonicalizer(Json.compact(without)).getEncodedUTF8();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(new String(CanonicalJson.canonicalizeWithout(o, "log_hash"), StandardCharsets.UTF_8))
        .isEqualTo(new String(reference, StandardCharsets.UTF_8));
    assertThat(AuditChain.logHash(o)).isEqualTo(Sha256.hex(reference));
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
      o.put("k" + i, sb.reverse().toString());
      assertSameAsReference(o);
    }
  }

  @Test
  void canonicalWithout_matchesReferenceOnNumbersAroundTheSafeIntegers_andFractions() {
    for (long v :
        new long[] {
          9007199254740991L,
          9007199254740992L,
          9007199254740993L,
          -9007199254740992L,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          0,
          -1
        }) {
      assertSameAsReference(Json.object().put("n", v).put("log_hash", "x"));
    }
    assertSameAsReference(Json.object().put("f", 1.5).put("log_hash", "x"));
    assertSameAsReference(
        Json.object().put("big", new java.math.BigInteger("123456789012345678901234567890")));
  }
}
