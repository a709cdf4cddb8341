package dev.cairn.jarpruner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The library closure on small synthetic jars: what a reached class names in any form stays, what
 * nothing names goes, and a removal the structural reading would see is refused.
 */
class LibraryClosureTest {

  private static final String ROOT = "dev/cairn/App";

  @Test
  void aLibraryClassNothingNames_goes_andEveryWayOfNamingOneKeepsIt() {
    Map<String, byte[]> jar = new LinkedHashMap<>();
    jar.put(
        ROOT + ".class",
        type(
            ROOT,
            "java/lang/Object",
            // field types only: the verifier may load them; a nested class keeps its outer class
            List.of("lib/ByDescriptor", "lib/Outer$Inner"),
            List.of("lib.ByString"))); // Class.forName("lib.ByString")
    jar.put("lib/ByDescriptor.class", type("lib/ByDescriptor", "lib/BySuper"));
    jar.put("lib/BySuper.class", type("lib/BySuper", "java/lang/Object"));
    jar.put("lib/ByString.class", type("lib/ByString", "java/lang/Object"));
    jar.put("lib/Outer.class", type("lib/Outer", "java/lang/Object"));
    jar.put("lib/Outer$Inner.class", type("lib/Outer$Inner", "java/lang/Object"));
    jar.put("lib/ByService.class", type("lib/ByService", "java/lang/Object"));
    jar.put(
        "META-INF/services/lib.Spi",
        "lib.ByService\n".getBytes(StandardCharsets.UTF_8)); // ServiceLoader
    jar.put(
        "lib/Unused.class",
        type("lib/Unused", "java/lang/Object", List.of("lib/UnusedToo"), List.of()));
    jar.put("lib/UnusedToo.class", type("lib/UnusedToo", "java/lang/Object"));

    JarPruner.Result out = LibraryClosure.apply(result(jar), "dev/cairn/");

    assertThat(out.removed()).containsExactlyInAnyOrder("lib/Unused", "lib/UnusedToo");
    assertThat(out.entries())
        .containsKeys(
            ROOT + ".class",
            "lib/ByDescriptor.class",
            "lib/BySuper.class",
            "lib/ByString.class",
            "lib/Outer.class",
            "lib/Outer$Inner.class",
            "lib/ByService.class",
            "META-INF/services/lib.Spi")
        .doesNotContainKeys("lib/Unused.class", "lib/UnusedToo.class");
  }

  @Test
  void aRemovalAKeptClassStillNamesStructurally_isRefused_andNothingIsWritten() {
    // The closure reads names out of the constant pool; the check visits classes with ASM. A
    // name only the visit sees (here: a class the closure is told does not exist, as a pool scan
    // that missed a form would) must stop the pruning.
    Map<String, byte[]> jar = new LinkedHashMap<>();
    jar.put(ROOT + ".class", type(ROOT, "java/lang/Object", List.of("lib/Needed"), List.of()));
    jar.put("lib/Needed.class", type("lib/Needed", "java/lang/Object"));

    assertThatThrownBy(
            () ->
                LibraryClosure.apply(
                    result(jar),
                    "dev/cairn/",
                    (text, classes, found) -> {})) // a closure blind to every pool
        .isInstanceOf(DanglingReferences.Violation.class)
        .hasMessageContaining("dev/cairn/App.class=[lib/Needed]");
  }

  @Test
  void namesIn_findsSlashedDottedAndDescriptorNames_andTheClassOfAMember() {
    Set<String> classes = Set.of("a/B", "a/B$C", "x/Y");
    java.util.List<String> found = new java.util.ArrayList<>();
    LibraryClosure.namesIn("(La/B;[Lx/Y;)V a.B$C a.B.field", classes, found::add);
    assertThat(found).containsExactly("a/B", "x/Y", "a/B$C", "a/B");
  }

  private static JarPruner.Result result(Map<String, byte[]> entries) {
    return new JarPruner.Result(entries, Set.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  private static byte[] type(String name, String superName) {
    return type(name, superName, List.of(), List.of());
  }

  /** A class {@code name}: a field per type in {@code fieldTypes}, a method per string constant. */
  private static byte[] type(
      String name, String superName, List<String> fieldTypes, List<String> strings) {
    ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, superName, null);
    for (int i = 0; i < fieldTypes.size(); i++) {
      w.visitField(Opcodes.ACC_PRIVATE, "f" + i, "L" + fieldTypes.get(i) + ";", null, null)
          .visitEnd();
    }
    for (int i = 0; i < strings.size(); i++) {
      MethodVisitor m =
          w.visitMethod(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "s" + i, "()Ljava/lang/String;", null, null);
      m.visitCode();
      m.visitLdcInsn(strings.get(i));
      m.visitInsn(Opcodes.ARETURN);
      m.visitMaxs(0, 0);
      m.visitEnd();
    }
    w.visitEnd();
    return w.toByteArray();
  }
}
