package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 (JCS) bytes for the JSON that audit entries contain, written straight from the tree
 * without the serialize-and-reparse round trip of {@link dev.cairn.core.json.CanonicalJson}. It
 * handles objects, arrays, strings, booleans, null and integers of magnitude below 2^53 (where the
 * ES6 number form is the plain decimal); for anything else (fractions, larger integers, unpaired
 * surrogates) it returns null and the caller uses {@code CanonicalJson}, the reference. {@code
 * FastCanonicalJsonTest} pins byte equality with {@code CanonicalJson}.
 *
 * <p>JCS rules used: members sorted by key in UTF-16 code-unit order ({@link String#compareTo});
 * strings escape only {@code "} {@code \} and U+0000..U+001F ({@code \b \t \n \f \r} by name, the
 * rest as backslash-u-00 and two lower-case hex digits); no whitespace.
 */
final class FastCanonicalJson {

  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private FastCanonicalJson() {}

  /** The canonical text of {@code object} without top-level member {@code excluded}, or null. */
  static String canonicalWithout(JsonNode object, String excluded) {
    StringBuilder sb = new StringBuilder(1024);
    return writeObject(object, excluded, sb) ? sb.toString() : null;
  }

  private static boolean write(JsonNode n, StringBuilder sb) {
    switch (n.getNodeType()) {
      case OBJECT:
        return writeObject(n, null, sb);
      case ARRAY:
        {
          sb.append('[');
          boolean first = true;
          for (JsonNode x : n) {
            if (!first) {
              sb.append(',');
            }
            first = false;
            if (!write(x, sb)) {
              return false;
            }
          }
          sb.append(']');
          return true;
        }
      case STRING:
        return writeString(n.textValue(), sb);
      case BOOLEAN:
        sb.append(n.booleanValue() ? "true" : "false");
        return true;
      case NULL:
        sb.append("null");
        return true;
      case NUMBER:
        if (n.isIntegralNumber() && n.canConvertToLong()) {
          long v = n.longValue();
          if (v >= -MAX_SAFE_INTEGER && v <= MAX_SAFE_INTEGER) {
            sb.append(v);
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  private static boolean writeObject(JsonNode n, String excluded, StringBuilder sb) {
    List<String> keys = new ArrayList<>(n.size());
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!k.equals(excluded)) {
        keys.add(k);
      }
    }
    Collections.sort(keys);
    sb.append('{');
    boolean first = true;
    for (String k : keys) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      if (!writeString(k, sb)) {
        return false;
      }
      sb.append(':');
      if (!write(n.get(k), sb)) {
        return false;
      }
    }
    sb.append('}');
    return true;
  }

  private static boolean writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              return false; // unpaired surrogate: leave it to the reference implementation
            }
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
    return true;
  }
}
