package dev.cairn.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), through the reference Java implementation.
 *
 * <p>Every signature and every audit hash in Cairn covers these bytes, so whitespace and key order
 * in a document never change a verdict.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /** The RFC 8785 canonical UTF-8 bytes of {@code node}. */
  public static byte[] canonicalize(JsonNode node) {
    try {
      return new JsonCanonicalizer(Json.compact(node)).getEncodedUTF8();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot canonicalize JSON: " + e.getMessage(), e);
    }
  }

  /** Canonical bytes of {@code object} with the named top-level members removed. */
  public static byte[] canonicalizeWithout(ObjectNode object, String... excludedMembers) {
    // A shallow copy: the members are shared, never modified; only the copy loses the excluded
    // names. (A deep copy of a 10,000-file manifest costs milliseconds and megabytes.)
    ObjectNode copy = object.objectNode();
    copy.setAll(object);
    for (String member : excludedMembers) {
      copy.remove(member);
    }
    return canonicalize(copy);
  }

  /** Canonical form as a string (for diagnostics and tests). */
  public static String canonicalString(JsonNode node) {
    return new String(canonicalize(node), StandardCharsets.UTF_8);
  }
}
