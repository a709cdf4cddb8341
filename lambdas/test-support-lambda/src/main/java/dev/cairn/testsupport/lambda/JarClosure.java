package dev.cairn.testsupport.lambda;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The classes of a jar that its own code can reach, read from the class files' constant pools: a
 * class reaches every class its pool names (as a class, in a descriptor or signature, or as a
 * string constant spelled like a class name, which is how {@code Class.forName} names one), and its
 * outer class. Class-level, so an over-approximation of what runs: every method of a reached class
 * counts. It finds what a shade filter removed that the code still names.
 */
public final class JarClosure {

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_$][\\w$]*(?:[/.][A-Za-z_$][\\w$]*)+");

  private final Map<String, Set<String>> references = new HashMap<>();

  private JarClosure() {}

  /** Reads every class file of {@code jar} (outside {@code META-INF/}). */
  public static JarClosure of(Path jar) throws IOException {
    JarClosure closure = new JarClosure();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
          try (InputStream in = zip.getInputStream(e)) {
            closure.references.put(name.substring(0, name.length() - ".class".length()), names(in));
          }
        }
      }
    }
    return closure;
  }

  /**
   * The classes under {@code prefix} (slashed, e.g. {@code org/bouncycastle/}) that the classes
   * reachable from those under {@code rootPrefix} name, but the jar does not hold.
   */
  public Set<String> missing(String rootPrefix, String prefix) {
    Set<String> seen = new HashSet<>();
    Set<String> missing = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>();
    references.keySet().stream().filter(c -> c.startsWith(rootPrefix)).forEach(todo::add);
    while (!todo.isEmpty()) {
      String c = todo.pop();
      if (!seen.add(c)) {
        continue;
      }
      Set<String> next = new HashSet<>(references.get(c));
      int nested = c.indexOf('$');
      if (nested > 0) {
        next.add(c.substring(0, nested));
      }
      for (String n : next) {
        if (references.containsKey(n)) {
          todo.push(n);
        } else if (n.startsWith(prefix) && looksLikeAClass(n)) {
          missing.add(n);
        }
      }
    }
    return missing;
  }

  /**
   * A class's simple name starts upper-case: {@code org.bouncycastle.asn1.allow_unsafe_integer} is
   * a system property BouncyCastle reads, not a class.
   */
  private static boolean looksLikeAClass(String name) {
    String simple = name.substring(name.lastIndexOf('/') + 1);
    return !simple.isEmpty() && Character.isUpperCase(simple.charAt(0));
  }

  /** Every class-like name in one class file's constant pool (UTF-8 entries). */
  private static Set<String> names(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    if (in.readInt() != 0xCAFEBABE) {
      return Set.of();
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    Set<String> names = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> {
          Matcher m = NAME.matcher(in.readUTF());
          while (m.find()) {
            names.add(m.group().replace('.', '/'));
          }
        }
        case 3, 4 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    return names;
  }
}
