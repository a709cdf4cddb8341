package dev.cairn.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.erdtman.jcs.JsonCanonicalizer;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), byte for byte what the reference Java implementation
 * ({@code org.erdtman.jcs}) gives for the same tree.
 *
 * <p>Every signature and every audit hash in Cairn covers these bytes, so whitespace and key order
 * in a document never change a verdict.
 *
 * <p>The tree is written directly: members sorted by UTF-16 code units, strings with only the
 * escapes RFC 8785 requires, numbers through the reference implementation's ECMAScript formatter,
 * then UTF-8 as {@link String#getBytes} encodes it (a lone surrogate becomes {@code ?}, which is
 * why the manifest parser refuses them). The reference implementation takes text instead, so using
 * it meant writing a 10,000-file manifest out with Jackson and parsing it again (in a cold {@code
 * manifest verify}'s profile, as many samples as parsing the manifest). A node type a parsed
 * document never holds (binary, POJO) still takes that route, and so does a top-level scalar, which
 * the reference refuses. {@code CanonicalJsonTest} compares the two on generated trees.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  /** The RFC 8785 canonical UTF-8 bytes of {@code node}. */
  public static byte[] canonicalize(JsonNode node) {
    if (!node.isContainerNode()) {
      // The reference implementation canonicalizes objects and arrays only, and says so.
      return viaText(node);
    }
    StringBuilder out = new StringBuilder(1024);
    try {
      if (!write(node, out)) {
        return viaText(node);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot canonicalize JSON: " + e.getMessage(), e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The reference implementation over Jackson's text of {@code node}. */
  static byte[] viaText(JsonNode node) {
    try {
      return new JsonCanonicalizer(Json.compact(node)).getEncodedUTF8();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot canonicalize JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Canonical bytes of {@code object} with the named top-level members left out: what a signature
   * or an audit entry's {@code log_hash} covers. Written straight from the tree, no copy made.
   */
  public static byte[] canonicalizeWithout(ObjectNode object, String... excludedMembers) {
    StringBuilder out = new StringBuilder(1024);
    try {
      if (writeObject(object, Set.copyOf(Arrays.asList(excludedMembers)), out)) {
        return out.toString().getBytes(StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot canonicalize JSON: " + e.getMessage(), e);
    }
    ObjectNode copy = object.objectNode();
    copy.setAll(object);
    for (String member : excludedMembers) {
      copy.remove(member);
    }
    return viaText(copy);
  }

  /** Canonical form as a string (for diagnostics and tests). */
  public static String canonicalString(JsonNode node) {
    return new String(canonicalize(node), StandardCharsets.UTF_8);
  }

  /** Writes {@code node}; false when it holds a node type only the text route knows. */
  private static boolean write(JsonNode node, StringBuilder out) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        return writeObject(node, Set.of(), out);
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!write(node.get(i), out)) {
            return false;
          }
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case NUMBER -> number(node, out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> {
        return false;
      }
    }
    return true;
  }

  private static boolean writeObject(JsonNode node, Set<String> excluded, StringBuilder out)
      throws IOException {
    List<String> names = new ArrayList<>(node.size());
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!excluded.contains(name)) {
        names.add(name);
      }
    }
    // String's natural order compares UTF-16 code units: RFC 8785 section 3.2.3.
    Collections.sort(names);
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(names.get(i), out);
      out.append(':');
      if (!write(node.get(names.get(i)), out)) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  /**
   * A number as the text route gives it: Jackson writes the node's value, the reference
   * implementation reads that text as an IEEE double and formats it as ECMAScript does. Jackson
   * writes a non-finite double as a string ("NaN"), so that is what it canonicalizes to.
   */
  private static void number(JsonNode node, StringBuilder out) throws IOException {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      long v = node.longValue();
      if (v >= -MAX_SAFE_INTEGER && v <= MAX_SAFE_INTEGER) {
        // Exact as a double, and ECMAScript prints it as its plain decimal (audit entries'
        // sequence numbers, a manifest's sizes): the formatter's answer without its cost.
        out.append(v);
        return;
      }
    }
    double value;
    if (node.isDouble()) {
      value = node.doubleValue();
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        string(Double.toString(value), out);
        return;
      }
    } else if (node.isFloat()) {
      float f = node.floatValue();
      if (Float.isNaN(f) || Float.isInfinite(f)) {
        string(Float.toString(f), out);
        return;
      }
      value = Double.parseDouble(Float.toString(f));
    } else {
      // Integers and BigDecimals: their exact decimal, correctly rounded, as Double.valueOf reads
      // the text. An out-of-range value becomes infinite and NumberToJSON refuses it.
      value = Double.parseDouble(node.asText());
    }
    out.append(NumberToJSON.serializeNumber(value));
  }

  /** RFC 8785 section 3.2.2.2: only '"', '\\' and the C0 controls are escaped. */
  private static void string(String s, StringBuilder out) {
    out.append('"');
    if (nothingToEscape(s)) {
      // Most strings (paths, hashes): appended whole rather than a character at a time.
      out.append(s).append('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean nothingToEscape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** 2^53 - 1: the largest integer every smaller one of which a double holds exactly. */
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
}
