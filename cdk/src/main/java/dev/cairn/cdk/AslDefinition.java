package dev.cairn.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production ASL file, inlined into the template. Its {@code ${Name}} placeholders are filled
 * from the substitutions the stack offers; a placeholder nobody offers fails synth, so a renamed
 * placeholder can never reach Step Functions as a literal.
 */
public record AslDefinition(Path path, String body, Set<String> placeholders) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  public AslDefinition {
    placeholders = Set.copyOf(placeholders);
  }

  public static AslDefinition read(Path path) {
    String body;
    try {
      body = Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state machine definition " + path, e);
    }
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(body);
    while (m.find()) {
      names.add(m.group(1));
    }
    return new AslDefinition(path, body, names);
  }

  /**
   * The substitutions this definition uses, taken from {@code offered}. Throws when the file uses a
   * placeholder that is not offered.
   */
  public Map<String, String> substitutions(Map<String, String> offered) {
    Set<String> unmapped = new TreeSet<>(placeholders);
    unmapped.removeAll(offered.keySet());
    if (!unmapped.isEmpty()) {
      throw new IllegalStateException(
          path
              + " uses placeholders the control plane stack does not provide: "
              + unmapped
              + " (known: "
              + new TreeSet<>(offered.keySet())
              + ")");
    }
    Map<String, String> used = new LinkedHashMap<>();
    for (String name : new TreeSet<>(placeholders)) {
      used.put(name, offered.get(name));
    }
    return used;
  }

  public boolean usesIntegration(String resourcePrefix) {
    return body.contains(resourcePrefix);
  }
}
