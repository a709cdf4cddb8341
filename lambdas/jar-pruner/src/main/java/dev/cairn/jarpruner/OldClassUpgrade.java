package dev.cairn.jarpruner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;

/**
 * Rewrites a jar's pre-Java-6 class files (major version below 50) as Java 8 class files, with the
 * stack map frames that version requires, so that a class-data sharing archive can hold them.
 *
 * <p>Why: JDK 17's archives leave out every class older than version 50; the JVM then reads each of
 * them from the jar and checks it with the old type-inferring verifier, on every run. picocli is
 * compiled for Java 5, so {@code cairn manifest verify} loaded its 174 picocli classes that way
 * (bench/README.md, "The CI-side verify, cold"; decision
 * docs/decisions/2026-12-07-old-class-files-upgraded.md).
 *
 * <p>What changes: the version number, frames computed by ASM ({@link ClassWriter#COMPUTE_FRAMES}),
 * and subroutines ({@code jsr}/{@code ret}, not allowed after version 50) inlined. The code itself
 * is the same instructions. The JVM's type-checking verifier checks the result at load time, as it
 * checks every class.
 *
 * <p>Usage: {@code OldClassUpgrade <jar>}; the jar is replaced in place, entries in their order.
 */
public final class OldClassUpgrade {

  /** Java 6: the first version with stack map frames, and the first a JDK 17 archive holds. */
  static final int FIRST_ARCHIVED_VERSION = 50;

  private OldClassUpgrade() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: OldClassUpgrade <jar>");
    }
    Path jar = Path.of(args[0]);
    long start = System.nanoTime();
    JarContents contents = JarContents.read(jar);
    Map<String, byte[]> entries = contents.entries();
    Map<String, ZipEntry> meta = contents.meta();
    int upgraded = upgrade(entries);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
    try (OutputStream file = Files.newOutputStream(tmp);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry to = new ZipEntry(e.getKey());
        to.setTime(meta.get(e.getKey()).getTime());
        zip.putNextEntry(to);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf(
        "%s: %d class files older than Java 6 rewritten as Java 8, %d ms%n",
        jar.getFileName(), upgraded, (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Rewrites, in {@code entries}, every class file older than version 50; returns how many. Frames
   * need the common superclass of two types: it is read from {@code entries} first, then from the
   * JDK.
   */
  static int upgrade(Map<String, byte[]> entries) {
    Map<String, String> superNames = new HashMap<>();
    Map<String, Boolean> interfaces = new HashMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (isClass(e.getKey())) {
        ClassReader r = new ClassReader(e.getValue());
        superNames.put(r.getClassName(), r.getSuperName());
        interfaces.put(r.getClassName(), (r.getAccess() & Opcodes.ACC_INTERFACE) != 0);
      }
    }
    Hierarchy hierarchy = new Hierarchy(superNames, interfaces);
    int upgraded = 0;
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (isClass(e.getKey()) && majorVersion(e.getValue()) < FIRST_ARCHIVED_VERSION) {
        e.setValue(rewrite(e.getValue(), hierarchy));
        upgraded++;
      }
    }
    return upgraded;
  }

  static int majorVersion(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  private static boolean isClass(String name) {
    // Versioned entries of a multi-release jar are for later JDKs and already recent.
    return name.endsWith(".class")
        && !name.startsWith("META-INF/")
        && !name.endsWith("module-info.class");
  }

  private static byte[] rewrite(byte[] classFile, Hierarchy hierarchy) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
          @Override
          protected String getCommonSuperClass(String a, String b) {
            return hierarchy.commonSuperClass(a, b);
          }
        };
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            return new JSRInlinerAdapter(next, access, name, descriptor, signature, exceptions);
          }
        },
        // Old frames cannot exist (there are none before version 50); computed ones replace them.
        ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  /** Superclass chains from the jar, then from the JDK's own classes. */
  private static final class Hierarchy {
    private final Map<String, String> superNames;
    private final Map<String, Boolean> interfaces;

    Hierarchy(Map<String, String> superNames, Map<String, Boolean> interfaces) {
      this.superNames = superNames;
      this.interfaces = interfaces;
    }

    String commonSuperClass(String a, String b) {
      if (isInterface(a) || isInterface(b)) {
        return "java/lang/Object";
      }
      for (String x = a; x != null; x = superName(x)) {
        for (String y = b; y != null; y = superName(y)) {
          if (x.equals(y)) {
            return x;
          }
        }
      }
      return "java/lang/Object";
    }

    private boolean isInterface(String name) {
      Boolean inJar = interfaces.get(name);
      return inJar != null ? inJar : jdkClass(name).isInterface();
    }

    private String superName(String name) {
      if (superNames.containsKey(name)) {
        return superNames.get(name);
      }
      Class<?> superclass = jdkClass(name).getSuperclass();
      return superclass == null ? null : superclass.getName().replace('.', '/');
    }

    private static Class<?> jdkClass(String name) {
      try {
        return Class.forName(name.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            name + " is neither in the jar nor in the JDK: cannot compute stack map frames", e);
      }
    }
  }
}
