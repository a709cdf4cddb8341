package dev.cairn.jarpruner;

import dev.cairn.jarpruner.PoolScan.MethodRef;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * Prunes a shaded jar's AWS SDK v2 service modules down to the operations its code calls.
 *
 * <ol>
 *   <li>Used operations are read from bytecode: every method reference, in a class outside the
 *       pruned service packages or in a class of them that stays reachable, to a client type of a
 *       service (its client interfaces and their implementations in the service's package); and,
 *       outside the SDK, every string constant spelled like an operation (reflection).
 *   <li>Each operation method of a client type nobody calls is removed ({@link ClientRewriter}: why
 *       removed rather than rewritten to throw); every other method stays.
 *   <li>A service package's classes that nothing reaches any more go: the class-level closure from
 *       every class outside the pruned packages, every resource, the rewritten clients and every
 *       modeled exception.
 *   <li>Steps 1–3 repeat until the used operations stop growing (a kept paginator or waiter calls
 *       its operation).
 *   <li>The invariant, or the jar is not written ({@link DanglingReferences}): no kept class names
 *       a removed class or calls a removed operation.
 *   <li>Then every class of any library that nothing reachable from Cairn's own code ({@link
 *       #ROOT_PREFIX}) or a resource names goes ({@link LibraryClosure}), under the same invariant.
 * </ol>
 *
 * <p>Usage: {@code JarPruner <jar> [<copy of the unpruned jar>]}; the jar is replaced in place.
 */
public final class JarPruner {

  /** The function's own code: what the library closure starts from. */
  static final String ROOT_PREFIX = "dev/cairn/";

  private static final String AWS_SERVICE_EXCEPTION =
      "software/amazon/awssdk/awscore/exception/AwsServiceException";
  private static final Set<String> CLIENT_ROOTS =
      Set.of("software/amazon/awssdk/core/SdkClient", "software/amazon/awssdk/awscore/AwsClient");

  private final Map<String, byte[]> entries;
  private final Map<String, ZipEntry> meta;
  private final Set<String> classes = new HashSet<>();
  private final Map<String, ClassHeader> headers = new HashMap<>();
  private final Map<String, Set<String>> poolNamesCache = new HashMap<>();
  private final Map<String, String> usedBy = new TreeMap<>();
  private final Map<String, String> reachedFrom = new HashMap<>();
  private final Map<String, ClientRewriter.Rewritten> rewrites = new HashMap<>();
  private final Map<String, List<MethodRef>> methodRefsCache = new HashMap<>();

  /** A pruned jar's content and what the pruning did. */
  public record Result(
      Map<String, byte[]> entries,
      Set<String> removed,
      Map<String, Set<String>> usedOperations,
      Map<String, Set<String>> prunedMethods,
      Map<String, Integer> classesBefore,
      Map<String, Integer> classesAfter) {}

  private record ClassHeader(int access, String superName, List<String> interfaces) {}

  JarPruner(Map<String, byte[]> entries, Map<String, ZipEntry> meta) {
    this.entries = entries;
    this.meta = meta;
    for (String name : entries.keySet()) {
      if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.contains("-info")) {
        classes.add(name.substring(0, name.length() - ".class".length()));
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: JarPruner <jar> [<copy of the unpruned jar>]");
    }
    Path jar = Path.of(args[0]);
    long start = System.nanoTime();
    long before = Files.size(jar);
    JarPruner pruner = read(jar);
    Result result = LibraryClosure.apply(pruner.prune(), ROOT_PREFIX);
    if (args.length == 2) {
      Files.createDirectories(Path.of(args[1]).toAbsolutePath().getParent());
      Files.copy(jar, Path.of(args[1]), StandardCopyOption.REPLACE_EXISTING);
    }
    Path tmp = jar.resolveSibling(jar.getFileName() + ".pruning");
    pruner.write(result, tmp);
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(report(jar, before, Files.size(jar), result, millis));
  }

  static String report(Path jar, long before, long after, Result r, long millis) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%s pruned by %s: %,d -> %,d bytes, %,d classes removed, %d ms%n",
            jar.getFileName(), ClientRewriter.TOOL, before, after, r.removed().size(), millis));
    for (String svc : r.classesBefore().keySet()) {
      out.append(
          String.format(
              "  %-16s classes %,6d -> %,6d; operations kept: %s%n",
              svc,
              r.classesBefore().get(svc),
              r.classesAfter().get(svc),
              r.usedOperations().getOrDefault(svc, Set.of())));
    }
    return out.toString();
  }

  /** Reads every entry of {@code jar}, in order. */
  static JarPruner read(Path jar) throws IOException {
    JarContents contents = JarContents.read(jar);
    return new JarPruner(contents.entries(), contents.meta());
  }

  /** Writes the pruned jar: the same entries in the same order, times and methods, less removed. */
  void write(Result result, Path out) throws IOException {
    Set<String> keptFiles = new HashSet<>();
    for (String name : result.entries().keySet()) {
      if (!name.endsWith("/")) {
        keptFiles.add(name);
      }
    }
    Set<String> keptDirs = new HashSet<>();
    for (String name : keptFiles) {
      for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
        keptDirs.add(name.substring(0, i + 1));
      }
    }
    try (OutputStream file = Files.newOutputStream(out);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : result.entries().entrySet()) {
        String name = e.getKey();
        if (name.endsWith("/") && !keptDirs.contains(name)) {
          continue;
        }
        ZipEntry from = meta.get(name);
        ZipEntry to = new ZipEntry(name);
        if (from != null) {
          to.setTime(from.getTime());
        }
        to.setMethod(ZipEntry.DEFLATED);
        zip.putNextEntry(to);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }

  /** Prunes the entries read; throws if the result would break the invariant. */
  public Result prune() {
    Map<String, String> serviceOf = new HashMap<>();
    Map<String, Integer> before = new TreeMap<>();
    for (String c : classes) {
      String svc = service(c);
      if (svc != null) {
        serviceOf.put(c, svc);
      }
    }
    Set<String> clientInterfaces = new HashSet<>();
    for (String c : serviceOf.keySet()) {
      ClassHeader h = header(c);
      if ((h.access() & Opcodes.ACC_INTERFACE) != 0
          && h.interfaces().stream().anyMatch(CLIENT_ROOTS::contains)) {
        clientInterfaces.add(c);
      }
    }
    Set<String> prunedServices = new TreeSet<>();
    for (String c : clientInterfaces) {
      prunedServices.add(serviceOf.get(c));
    }
    Set<String> clientTypes = new HashSet<>(clientInterfaces);
    for (String c : serviceOf.keySet()) {
      if (prunedServices.contains(serviceOf.get(c)) && implementsAny(c, clientInterfaces)) {
        clientTypes.add(c);
      }
    }
    Set<String> inPrunedPackages = new HashSet<>();
    for (Map.Entry<String, String> e : serviceOf.entrySet()) {
      if (prunedServices.contains(e.getValue())) {
        inPrunedPackages.add(e.getKey());
        before.merge(e.getValue(), 1, Integer::sum);
      }
    }
    Set<String> exceptions = new HashSet<>();
    for (String c : inPrunedPackages) {
      if (extendsClass(c, AWS_SERVICE_EXCEPTION)) {
        exceptions.add(c);
      }
    }

    // 1. Used operations from every class outside the pruned packages (names, and strings that
    // spell an operation, for reflection).
    Map<String, Set<String>> used = new TreeMap<>();
    Map<String, Set<String>> operationNames = operationNames(clientTypes, serviceOf);
    for (String c : classes) {
      if (!inPrunedPackages.contains(c)) {
        collectUsed(c, classFile(c), clientTypes, serviceOf, used);
        if (!c.startsWith("software/amazon/awssdk/")) {
          for (String s : PoolScan.stringConstants(classFile(c))) {
            operationNames.forEach(
                (svc, names) -> {
                  if (names.contains(s)) {
                    used.computeIfAbsent(svc, k -> new TreeSet<>()).add(s);
                  }
                });
          }
        }
      }
    }
    Set<String> roots = new HashSet<>();
    for (String c : classes) {
      if (!inPrunedPackages.contains(c)) {
        for (String n : poolNames(c)) {
          roots.add(n);
          reachedFrom.putIfAbsent(n, c);
        }
      }
    }
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (!e.getKey().endsWith(".class") && !e.getKey().endsWith("/")) {
        PoolScan.serviceClassNamesInText(
            e.getValue(),
            classes,
            n -> {
              roots.add(n);
              reachedFrom.putIfAbsent(n, e.getKey());
            });
      }
    }
    roots.addAll(exceptions);

    while (true) {
      // 2. Remove each client type's operation methods nobody calls.
      Map<String, ClientRewriter.Rewritten> rewritten = new HashMap<>();
      for (String c : clientTypes) {
        String svc = serviceOf.get(c);
        Set<String> usedHere = used.getOrDefault(svc, Set.of());
        Set<String> names = operationNames.get(svc);
        rewritten.put(
            c,
            rewrites.computeIfAbsent(
                c + " " + usedHere,
                k ->
                    ClientRewriter.rewrite(
                        classFile(c),
                        (MethodNode m) -> names.contains(m.name) && !usedHere.contains(m.name))));
      }
      // 3. The closure over the pruned packages.
      Set<String> reached = new HashSet<>();
      Deque<String> todo = new ArrayDeque<>(roots);
      while (!todo.isEmpty()) {
        String c = todo.pop();
        if (!inPrunedPackages.contains(c) || !reached.add(c)) {
          continue;
        }
        // A rewritten class's pool is written anew (ASM keeps only what the class still uses);
        // one that lost no method keeps its own, unused entries included.
        Set<String> next = new HashSet<>();
        if (rewritten.containsKey(c) && !rewritten.get(c).pruned().isEmpty()) {
          PoolScan.serviceClassNames(rewritten.get(c).classFile(), classes, next::add);
        } else {
          next.addAll(poolNames(c));
        }
        int nested = c.lastIndexOf('$');
        if (nested > 0) {
          next.add(c.substring(0, nested));
        }
        for (String n : next) {
          if (inPrunedPackages.contains(n) && !reached.contains(n)) {
            todo.push(n);
            reachedFrom.putIfAbsent(n, c);
          }
        }
      }
      // 4. Again if a reached class calls an operation not yet counted.
      Map<String, Set<String>> grown = new TreeMap<>();
      used.forEach((k, v) -> grown.put(k, new TreeSet<>(v)));
      for (String c : reached) {
        byte[] cf = rewritten.containsKey(c) ? rewritten.get(c).classFile() : classFile(c);
        collectUsed(c, cf, clientTypes, serviceOf, grown);
      }
      if (grown.equals(used)) {
        return finish(
            rewritten, reached, inPrunedPackages, used, operationNames, before, serviceOf);
      }
      used.clear();
      used.putAll(grown);
    }
  }

  private Result finish(
      Map<String, ClientRewriter.Rewritten> rewritten,
      Set<String> reached,
      Set<String> inPrunedPackages,
      Map<String, Set<String>> used,
      Map<String, Set<String>> operationNames,
      Map<String, Integer> before,
      Map<String, String> serviceOf) {
    Set<String> removed = new TreeSet<>();
    for (String c : inPrunedPackages) {
      if (!reached.contains(c)) {
        removed.add(c);
      }
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    Map<String, Set<String>> removedOperations = new HashMap<>();
    for (String c : rewritten.keySet()) {
      String svc = serviceOf.get(c);
      Set<String> lost = new TreeSet<>(operationNames.get(svc));
      lost.removeAll(used.getOrDefault(svc, Set.of()));
      removedOperations.put(c, lost);
    }
    Map<String, Set<String>> prunedMethods = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      String name = e.getKey();
      String c = name.endsWith(".class") ? name.substring(0, name.length() - 6) : null;
      if (c != null && removed.contains(c)) {
        continue;
      }
      ClientRewriter.Rewritten r = c == null ? null : rewritten.get(c);
      if (r != null) {
        out.put(name, r.classFile());
        if (!r.pruned().isEmpty()) {
          prunedMethods.put(c, new TreeSet<>(r.pruned()));
        }
      } else {
        out.put(name, e.getValue());
      }
    }
    // Only a class whose constant pool spells a removed name can name one (every name a class
    // file holds is spelled in its pool): the others need no visit.
    Map<String, byte[]> suspects = new HashMap<>();
    for (Map.Entry<String, byte[]> e : out.entrySet()) {
      String name = e.getKey();
      String c = name.endsWith(".class") ? name.substring(0, name.length() - 6) : null;
      if (c != null
          && classes.contains(c)
          && (rewritten.containsKey(c)
              || poolNames(c).stream().anyMatch(removed::contains)
              || methodRefsCache.computeIfAbsent(c, k -> PoolScan.methodRefs(classFile(k))).stream()
                  .anyMatch(
                      ref ->
                          removedOperations
                              .getOrDefault(ref.owner(), Set.of())
                              .contains(ref.name())))) {
        suspects.put(name, e.getValue());
      }
    }
    DanglingReferences.check(suspects, removed, removedOperations);
    if (Boolean.getBoolean("jarpruner.debug")) {

      usedBy.forEach((k, v) -> System.err.println("used " + k + " <- " + v));
      String why = System.getProperty("jarpruner.why");
      for (String w = why; w != null; w = reachedFrom.get(w)) {
        System.err.println("why " + w);
      }
    }
    Map<String, Integer> after = new TreeMap<>();
    for (String svc : before.keySet()) {
      after.put(svc, 0);
    }
    for (String c : reached) {
      after.merge(serviceOf.get(c), 1, Integer::sum);
    }
    Map<String, Set<String>> usedOperations = new TreeMap<>();
    used.forEach(
        (svc, names) -> {
          Set<String> ops = new TreeSet<>(names);
          ops.retainAll(operationNames.getOrDefault(svc, Set.of()));
          usedOperations.put(svc, ops);
        });
    return new Result(out, removed, usedOperations, prunedMethods, before, after);
  }

  /**
   * Per service, the names of its client types' operation methods: a method whose descriptor names
   * a class of the service's {@code model}, {@code paginators} or {@code waiters} package.
   */
  private Map<String, Set<String>> operationNames(
      Set<String> clientTypes, Map<String, String> serviceOf) {
    Map<String, Set<String>> names = new HashMap<>();
    for (String c : clientTypes) {
      String svc = serviceOf.get(c);
      names.computeIfAbsent(svc, k -> new HashSet<>());
      org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
      new ClassReader(classFile(c)).accept(node, ClassReader.SKIP_CODE);
      for (MethodNode m : node.methods) {
        if (m.name.startsWith("<")) {
          continue;
        }
        for (String t : StructuralRefs.descriptorTypes(m.desc)) {
          if (isOperationShape(t, svc)) {
            names.get(svc).add(m.name);
          }
        }
      }
    }
    return names;
  }

  private static boolean isOperationShape(String type, String svc) {
    String prefix = PoolScan.SERVICES + svc + "/";
    return type.startsWith(prefix)
        && (type.contains("/model/")
            || type.contains("/paginators/")
            || type.contains("/waiters/"));
  }

  private void collectUsed(
      String from,
      byte[] classFile,
      Set<String> clientTypes,
      Map<String, String> serviceOf,
      Map<String, Set<String>> used) {
    List<MethodRef> refs =
        classFile == classFile(from)
            ? methodRefsCache.computeIfAbsent(from, k -> PoolScan.methodRefs(classFile))
            : PoolScan.methodRefs(classFile);
    for (MethodRef ref : refs) {
      if (clientTypes.contains(ref.owner())) {
        String svc = serviceOf.get(ref.owner());
        if (used.computeIfAbsent(svc, k -> new TreeSet<>()).add(ref.name())) {
          usedBy.putIfAbsent(svc + "." + ref.name(), from);
        }
      }
    }
  }

  private Set<String> poolNames(String c) {
    return poolNamesCache.computeIfAbsent(
        c,
        k -> {
          Set<String> names = new HashSet<>();
          PoolScan.serviceClassNames(classFile(k), classes, names::add);
          return names;
        });
  }

  private static String service(String c) {
    if (!c.startsWith(PoolScan.SERVICES)) {
      return null;
    }
    int end = c.indexOf('/', PoolScan.SERVICES.length());
    return end < 0 ? null : c.substring(PoolScan.SERVICES.length(), end);
  }

  private byte[] classFile(String c) {
    return entries.get(c + ".class");
  }

  private ClassHeader header(String c) {
    return headers.computeIfAbsent(
        c,
        k -> {
          ClassReader r = new ClassReader(classFile(k));
          return new ClassHeader(r.getAccess(), r.getSuperName(), List.of(r.getInterfaces()));
        });
  }

  private boolean implementsAny(String c, Set<String> interfaces) {
    Deque<String> todo = new ArrayDeque<>(List.of(c));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (!seen.add(t) || !classes.contains(t)) {
        continue;
      }
      if (interfaces.contains(t)) {
        return true;
      }
      ClassHeader h = header(t);
      if (h.superName() != null) {
        todo.push(h.superName());
      }
      todo.addAll(h.interfaces());
    }
    return false;
  }

  private boolean extendsClass(String c, String ancestor) {
    for (String t = c; t != null && classes.contains(t); t = header(t).superName()) {
      if (header(t).superName() != null && header(t).superName().equals(ancestor)) {
        return true;
      }
    }
    return false;
  }
}
