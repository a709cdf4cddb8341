package dev.cairn.sandbox.local.http;

/** Text for XML element content. */
final class Xml {

  private Xml() {}

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** {@code <name>escaped value</name>}. */
  static String element(String name, String value) {
    return "<" + name + ">" + escape(value) + "</" + name + ">";
  }
}
