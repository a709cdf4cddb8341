package dev.cairn.jarpruner;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pruner's invariant: no class left in the jar names a class the pruning removed, read by
 * visiting each class ({@link StructuralRefs}: Class constants, field and method references,
 * descriptors, signatures, annotations, string constants spelled like a class), apart from the
 * descriptors, signatures and throws clauses of the methods the pruning rewrote. HotSpot's verifier
 * loads classes to check assignments, so a dangling name anywhere else could become a {@code
 * NoClassDefFoundError} on a path no test runs. Every removed class resolved before the pruning (it
 * was in the jar), so this is also "no reference that resolved before dangles after".
 */
final class DanglingReferences {

  private DanglingReferences() {}

  /** Thrown when the invariant does not hold; names each kept class and what it names. */
  static final class Violation extends IllegalStateException {
    private final Map<String, Set<String>> dangling;

    Violation(Map<String, Set<String>> dangling) {
      super(
          "jar pruning would leave "
              + dangling.size()
              + " class(es) naming removed classes or methods (the jar is not written): "
              + dangling);
      this.dangling = dangling;
    }

    Map<String, Set<String>> dangling() {
      return dangling;
    }
  }

  /**
   * @param kept the jar's entries after pruning (name → bytes)
   * @param removed the classes removed (slashed names)
   * @param removedOperations per client class, the names of the operation methods its service lost
   */
  static void check(
      Map<String, byte[]> kept, Set<String> removed, Map<String, Set<String>> removedOperations) {
    Map<String, Set<String>> dangling = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : kept.entrySet()) {
      String name = e.getKey();
      if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.contains("-info")) {
        continue;
      }
      String c = name.substring(0, name.length() - ".class".length());
      for (String n : StructuralRefs.of(e.getValue())) {
        if (removed.contains(n)) {
          dangling.computeIfAbsent(c, k -> new TreeSet<>()).add(n);
        }
      }
      // Also a constant-pool entry no code uses (javac keeps a Class constant for the owner of
      // a constant it inlined): the JVM never resolves it, but the jar would still name the class.
      PoolScan.serviceClassNames(
          e.getValue(), removed, n -> dangling.computeIfAbsent(c, k -> new TreeSet<>()).add(n));
      for (PoolScan.MethodRef ref : PoolScan.methodRefs(e.getValue())) {
        if (removedOperations.getOrDefault(ref.owner(), Set.of()).contains(ref.name())) {
          dangling
              .computeIfAbsent(c, k -> new TreeSet<>())
              .add(ref.owner() + "." + ref.name() + ref.descriptor());
        }
      }
    }
    if (!dangling.isEmpty()) {
      throw new Violation(dangling);
    }
  }
}
