package dev.cairn.asl;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${Name}} placeholders the way CDK {@code DefinitionSubstitutions} does: a plain text
 * replacement over the definition before it is parsed. Unknown placeholders are left as they are.
 */
public final class DefinitionSubstitutions {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private DefinitionSubstitutions() {}

  /** Returns {@code definition} with every known placeholder replaced. */
  public static String apply(String definition, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(definition);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
