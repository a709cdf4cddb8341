package dev.cairn.jarpruner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import picocli.CommandLine;

/**
 * {@link OldClassUpgrade} on the picocli jar cairn.jar ships, and on a class with a subroutine. The
 * JVM's own type-checking verifier is the judge: every rewritten class is loaded and initialized in
 * a fresh class loader, which verifies it against its new frames.
 */
class OldClassUpgradeTest {

  @Test
  void picocli_isRewrittenAsJava8_andEveryClassPassesTheTypeCheckingVerifier() throws Exception {
    Path jar =
        Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> entries = JarContents.read(jar).entries();
    long old =
        entries.entrySet().stream()
            .filter(e -> e.getKey().startsWith("picocli/") && e.getKey().endsWith(".class"))
            .filter(e -> OldClassUpgrade.majorVersion(e.getValue()) < 50)
            .count();
    assertThat(old).as("picocli's class files are Java 5").isGreaterThan(200);

    int upgraded = OldClassUpgrade.upgrade(entries);

    assertThat(upgraded).isEqualTo(old);
    BytesLoader loader = new BytesLoader(entries);
    int loaded = 0;
    for (String name : entries.keySet()) {
      if (name.startsWith("picocli/") && name.endsWith(".class")) {
        assertThat(OldClassUpgrade.majorVersion(entries.get(name))).as(name).isEqualTo(52);
        // Initializing links, and linking verifies: a wrong frame is a VerifyError here.
        Class.forName(name.replace('/', '.').replace(".class", ""), true, loader);
        loaded++;
      }
    }
    assertThat(loaded).isEqualTo(upgraded);
  }

  @Test
  void aSubroutine_isInlined_andTheMethodStillComputesTheSameResult() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("old/Jsr.class", classWithSubroutine());
    assertThat(OldClassUpgrade.majorVersion(entries.get("old/Jsr.class"))).isEqualTo(49);

    assertThat(OldClassUpgrade.upgrade(entries)).isEqualTo(1);

    Class<?> c = new BytesLoader(entries).loadClass("old.Jsr");
    assertThat(c.getMethod("twice", int.class).invoke(null, 21)).isEqualTo(42);
  }

  @Test
  void recentClassesAreLeftByteForByte() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    byte[] own = OldClassUpgrade.class.getResourceAsStream("OldClassUpgrade.class").readAllBytes();
    entries.put("dev/cairn/jarpruner/OldClassUpgrade.class", own.clone());
    assertThat(OldClassUpgrade.upgrade(entries)).isZero();
    assertThat(entries.get("dev/cairn/jarpruner/OldClassUpgrade.class")).isEqualTo(own);
  }

  @Test
  void aSuperclassNeitherInTheJarNorInTheJdk_isRefused() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("old/Branches.class", classMergingTwoUnknownTypes());
    assertThatThrownBy(() -> OldClassUpgrade.upgrade(entries))
        .hasMessageContaining("neither in the jar nor in the JDK");
  }

  /** {@code static int twice(int x)} whose doubling runs in a jsr subroutine, version 49. */
  private static byte[] classWithSubroutine() {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, "old/Jsr", null, "java/lang/Object", null);
    MethodVisitor m =
        w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "twice", "(I)I", null, null);
    m.visitCode();
    Label sub = new Label();
    m.visitJumpInsn(Opcodes.JSR, sub);
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitInsn(Opcodes.IRETURN);
    m.visitLabel(sub);
    m.visitVarInsn(Opcodes.ASTORE, 1);
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitInsn(Opcodes.ICONST_2);
    m.visitInsn(Opcodes.IMUL);
    m.visitVarInsn(Opcodes.ISTORE, 0);
    m.visitVarInsn(Opcodes.RET, 1);
    m.visitMaxs(0, 0);
    m.visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }

  /** A method whose two branches leave different unknown types on the stack, version 49. */
  private static byte[] classMergingTwoUnknownTypes() {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, "old/Branches", null, "java/lang/Object", null);
    MethodVisitor m =
        w.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            "pick",
            "(ZLgone/A;Lgone/B;)Ljava/lang/Object;",
            null,
            null);
    m.visitCode();
    Label other = new Label();
    Label join = new Label();
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitJumpInsn(Opcodes.IFEQ, other);
    m.visitVarInsn(Opcodes.ALOAD, 1);
    m.visitJumpInsn(Opcodes.GOTO, join);
    m.visitLabel(other);
    m.visitVarInsn(Opcodes.ALOAD, 2);
    m.visitLabel(join);
    m.visitInsn(Opcodes.ARETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }

  /** Defines classes from rewritten bytes; everything else from the JDK. */
  private static final class BytesLoader extends ClassLoader {
    private final Map<String, byte[]> entries;

    BytesLoader(Map<String, byte[]> entries) {
      super(ClassLoader.getPlatformClassLoader());
      this.entries = entries;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = entries.get(name.replace('.', '/') + ".class");
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }
}
