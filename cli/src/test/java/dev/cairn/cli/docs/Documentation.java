package dev.cairn.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shell blocks of Cairn's documentation: {@code README.md}, {@code docs/**}{@code /*.md} and
 * every module's {@code README.md}. A fenced block is a shell block when its info string is {@code
 * bash}, {@code sh} or {@code shell}. Its first line may say what it needs beyond this machine:
 * {@code # needs: aws — reason}; such a block is checked but not run. {@code sandbox} means a
 * {@code cairn sandbox up} running in another shell, whose export lines were pasted. {@code
 * browser} means a page served until Ctrl-C and looked at by a person; the build's browser test
 * ({@code cli/src/main/frontend/browser-test.mjs}) runs it instead.
 */
final class Documentation {

  /** What a block may need that an offline build does not have. */
  static final Set<String> NEEDS =
      Set.of("aws", "github", "network", "time", "sandbox", "cosign", "browser");

  private static final Pattern FENCE = Pattern.compile("^```\\s*(bash|sh|shell)\\s*$");
  private static final Pattern NEEDS_LINE =
      Pattern.compile("^#\\s*needs:\\s*([a-z-]+)\\s*(?:[—-]+\\s*(.*))?$");
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", ".m2", "node_modules", "target", "cdk.out", ".idea");

  private Documentation() {}

  /** A fenced shell block. {@code needs} is empty when the block runs offline. */
  record Block(Path file, int line, List<String> lines, Optional<Need> needs) {
    String where(Path repo) {
      return repo.relativize(file) + ":" + line;
    }

    @Override
    public String toString() {
      return where(repo());
    }

    /**
     * The block's commands as the shell reads them: continuations joined, comments and heredocs
     * out.
     */
    List<String> logicalLines() {
      List<String> out = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      String heredocEnd = null;
      for (String raw : lines) {
        if (heredocEnd != null) {
          if (raw.strip().equals(heredocEnd)) {
            heredocEnd = null;
          }
          continue;
        }
        String line = stripComment(raw);
        Matcher h = Pattern.compile("<<-?\\s*'?\"?([A-Za-z_]+)'?\"?").matcher(line);
        if (h.find()) {
          heredocEnd = h.group(1);
        }
        if (line.endsWith("\\")) {
          current.append(line, 0, line.length() - 1).append(' ');
          continue;
        }
        current.append(line);
        if (!current.toString().isBlank()) {
          out.add(current.toString().strip());
        }
        current.setLength(0);
      }
      if (!current.toString().isBlank()) {
        out.add(current.toString().strip());
      }
      return out;
    }
  }

  /** {@code # needs: aws — reason}. */
  record Need(String what, String reason) {}

  /** The repository root: the nearest ancestor of the working directory with {@code mvnw}. */
  static Path repo() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("not inside the Cairn repository");
  }

  /** README.md first, then docs/, then every other README.md, each group in path order. */
  static List<Path> documents(Path repo) {
    List<Path> docs = new ArrayList<>();
    docs.add(repo.resolve("README.md"));
    docs.addAll(markdown(repo.resolve("docs"), p -> true));
    for (Path readme :
        markdown(
            repo,
            p ->
                p.getFileName().toString().equals("README.md")
                    && !p.startsWith(repo.resolve("docs")))) {
      if (!docs.contains(readme)) {
        docs.add(readme);
      }
    }
    return List.copyOf(docs);
  }

  private static List<Path> markdown(Path root, java.util.function.Predicate<Path> keep) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> p.toString().endsWith(".md"))
          .filter(Files::isRegularFile)
          .filter(p -> noSkippedDir(root, p))
          .filter(keep)
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static boolean noSkippedDir(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (SKIPPED_DIRS.contains(part.toString())) {
        return false;
      }
    }
    return true;
  }

  static List<Block> blocks(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!FENCE.matcher(lines.get(i)).matches()) {
        if (lines.get(i).startsWith("```")) {
          // Another language's block: skip to its closing fence.
          int j = i + 1;
          while (j < lines.size() && !lines.get(j).startsWith("```")) {
            j++;
          }
          i = j;
        }
        continue;
      }
      int start = i + 1;
      int j = start;
      while (j < lines.size() && !lines.get(j).startsWith("```")) {
        j++;
      }
      List<String> body = List.copyOf(lines.subList(start, j));
      Optional<Need> needs = Optional.empty();
      if (!body.isEmpty()) {
        Matcher m = NEEDS_LINE.matcher(body.get(0).strip());
        if (m.matches()) {
          needs = Optional.of(new Need(m.group(1), m.group(2) == null ? "" : m.group(2).strip()));
        }
      }
      out.add(new Block(file, start + 1, body, needs));
      i = j;
    }
    return out;
  }

  /** The line without a trailing {@code # comment} (a {@code #} outside quotes, after a space). */
  static String stripComment(String line) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#'
          && !single
          && !dbl
          && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i).stripTrailing();
      }
    }
    return line.stripTrailing();
  }

  /**
   * The simple commands of a logical line, each as words: split at {@code &&}, {@code ||}, {@code
   * ;}, {@code |} and command substitutions, quotes removed. Good enough for documentation, which
   * uses no functions, loops or nested quoting.
   */
  static List<List<String>> simpleCommands(String logicalLine) {
    List<List<String>> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    String s = logicalLine;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
        continue;
      }
      boolean separator =
          c == ';'
              || c == '|'
              || c == '&'
              || c == ')'
              || c == '('
              || (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(');
      if (separator || Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (separator) {
          if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
            words.clear();
          }
          if (c == '$') {
            i++;
          }
        }
        continue;
      }
      word.append(c);
      inWord = true;
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (!words.isEmpty()) {
      commands.add(List.copyOf(words));
    }
    // Leading VAR=value assignments are the command's environment, not its name.
    List<List<String>> out = new ArrayList<>();
    for (List<String> c : commands) {
      int k = 0;
      while (k < c.size() && c.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
        k++;
      }
      if (k < c.size()) {
        out.add(c.subList(k, c.size()));
      }
    }
    return out;
  }
}
