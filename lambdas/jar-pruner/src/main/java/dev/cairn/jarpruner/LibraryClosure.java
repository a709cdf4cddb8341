package dev.cairn.jarpruner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;

/**
 * The second stage, after the SDK operations: every class of the jar that nothing reachable from
 * the function's own code names goes, whichever library it belongs to (BouncyCastle's engines for
 * ciphers OpenPGP signatures never use, the parts of commons-lang3 Powertools never calls).
 *
 * <p>Class-level and conservative, as shade's filters were not: a class is reached when it is under
 * the root prefix ({@code dev/cairn/}), when any resource of the jar spells its name (service
 * files, log4j's plugin caches, interceptor lists, configuration), or when a reached class's
 * constant pool spells it anywhere: as a class, in a descriptor or signature ({@code Lfoo/Bar;}),
 * or as a string slashed or dotted, which is how {@code Class.forName} and {@code ServiceLoader}
 * name classes. A spelled name that is not a class counts for its longest prefix that is one (a
 * member after its class). A nested class keeps its outer classes. Every method of a reached class
 * counts, so what stays is more than what runs. Only a class loaded by a name computed at run time
 * would escape it; {@code ShippedJarIT} runs each jar's INIT, priming and an event.
 *
 * <p>The result is checked independently: no kept class may name a removed class structurally
 * ({@link StructuralRefs}, an ASM visit, not this pool scan), or the pruner throws and writes
 * nothing.
 */
final class LibraryClosure {

  private static final int UTF8 = 1;

  private LibraryClosure() {}

  /** How the closure reads names out of a text: {@link #namesIn}, or a test's stand-in. */
  interface Names {
    void in(String text, Set<String> classes, Consumer<String> found);
  }

  /** {@code result} less every class nothing reachable from {@code rootPrefix} names. */
  static JarPruner.Result apply(JarPruner.Result result, String rootPrefix) {
    return apply(result, rootPrefix, LibraryClosure::namesIn);
  }

  static JarPruner.Result apply(JarPruner.Result result, String rootPrefix, Names names) {
    Map<String, byte[]> entries = result.entries();
    Set<String> classes = new HashSet<>();
    for (String name : entries.keySet()) {
      if (isClass(name)) {
        classes.add(name.substring(0, name.length() - ".class".length()));
      }
    }
    Deque<String> todo = new ArrayDeque<>();
    for (String c : classes) {
      if (c.startsWith(rootPrefix)) {
        todo.add(c);
      }
    }
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (!e.getKey().endsWith(".class") && !e.getKey().endsWith("/")) {
        names.in(new String(e.getValue(), StandardCharsets.ISO_8859_1), classes, todo::add);
      }
    }
    Set<String> reached = new HashSet<>();
    while (!todo.isEmpty()) {
      String c = todo.pop();
      if (!reached.add(c)) {
        continue;
      }
      for (int nested = c.lastIndexOf('$'); nested > 0; nested = c.lastIndexOf('$', nested - 1)) {
        todo.push(c.substring(0, nested));
      }
      poolNames(entries.get(c + ".class"), classes, names, todo::push);
    }
    Set<String> removed = new TreeSet<>(classes);
    removed.removeAll(reached);

    Map<String, byte[]> kept = new LinkedHashMap<>();
    entries.forEach(
        (name, bytes) -> {
          if (!isClass(name) || !removed.contains(name.substring(0, name.length() - 6))) {
            kept.put(name, bytes);
          }
        });
    Map<String, Set<String>> dangling = new TreeMap<>();
    kept.forEach(
        (name, bytes) -> {
          if (isClass(name)) {
            for (String n : StructuralRefs.of(bytes)) {
              if (removed.contains(n)) {
                dangling.computeIfAbsent(name, k -> new TreeSet<>()).add(n);
              }
            }
          }
        });
    if (!dangling.isEmpty()) {
      throw new DanglingReferences.Violation(dangling);
    }
    Set<String> allRemoved = new TreeSet<>(result.removed());
    allRemoved.addAll(removed);
    return new JarPruner.Result(
        kept,
        allRemoved,
        result.usedOperations(),
        result.prunedMethods(),
        result.classesBefore(),
        result.classesAfter());
  }

  private static boolean isClass(String name) {
    return name.endsWith(".class") && !name.startsWith("META-INF/") && name.indexOf('/') > 0;
  }

  /** Every class of {@code classes} a UTF-8 entry of the class file's constant pool spells. */
  private static void poolNames(
      byte[] classFile, Set<String> classes, Names names, Consumer<String> found) {
    ClassReader reader = new ClassReader(classFile);
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0 || classFile[offset - 1] != UTF8) {
        continue;
      }
      // Class names are ASCII: the modified UTF-8 bytes read as Latin-1 spell them unchanged.
      names.in(
          new String(
              classFile, offset + 2, reader.readUnsignedShort(offset), StandardCharsets.ISO_8859_1),
          classes,
          found);
    }
  }

  /**
   * Every class of {@code classes} that {@code text} spells, slashed or dotted, alone or as the
   * {@code Lname;} of a descriptor, or as the longest class prefix of a longer name.
   */
  static void namesIn(String text, Set<String> classes, Consumer<String> found) {
    int i = 0;
    while (i < text.length()) {
      if (!isNameChar(text.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < text.length() && isNameChar(text.charAt(end))) {
        end++;
      }
      String token = text.substring(i, end);
      if (token.indexOf('/') > 0 || token.indexOf('.') > 0) {
        String name = token.replace('.', '/');
        longestClassPrefix(name, classes, found);
        if (name.length() > 1 && name.charAt(0) == 'L') {
          longestClassPrefix(name.substring(1), classes, found);
        }
      }
      i = end;
    }
  }

  private static void longestClassPrefix(String name, Set<String> classes, Consumer<String> found) {
    while (!name.isEmpty()) {
      if (classes.contains(name)) {
        found.accept(name);
        return;
      }
      int cut = name.lastIndexOf('/');
      if (cut <= 0) {
        return;
      }
      name = name.substring(0, cut);
    }
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '/' || c == '.';
  }
}
