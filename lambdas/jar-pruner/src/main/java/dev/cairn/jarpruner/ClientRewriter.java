package dev.cairn.jarpruner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Removes from a client class (a service's client interface or one of its implementations) the
 * operation methods no class in the jar calls, with the private lambda bodies only they used and
 * the inner-class entries of classes nothing left names. Every other method stays as it was.
 *
 * <p>Removed, not rewritten to throw: a method left in place keeps its descriptor, which names the
 * operation's request and response, and {@code Class.getMethod} on the class (Cairn's {@code
 * SdkClientSource} calls {@code getMethod("builder")} on each client interface) resolves the
 * parameter and return types of every method the class declares, so it would throw {@code
 * NoClassDefFoundError} for a removed request class
 * (docs/decisions/2026-12-07-sdk-operation-pruning.md).
 */
final class ClientRewriter {

  static final String TOOL = "cairn-jar-pruner";

  private ClientRewriter() {}

  /** The rewritten class file and the methods (name + descriptor) it removed. */
  record Rewritten(byte[] classFile, Set<String> pruned) {}

  /**
   * @param isPruned whether a method is an operation method nobody calls
   */
  static Rewritten rewrite(byte[] classFile, Predicate<MethodNode> isPruned) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    Set<String> pruned = new HashSet<>();
    node.methods.removeIf(
        m -> {
          boolean prune = !m.name.startsWith("<") && isPruned.test(m);
          if (prune) {
            pruned.add(m.name + m.desc);
          }
          return prune;
        });
    if (pruned.isEmpty()) {
      return new Rewritten(classFile, pruned);
    }
    dropOrphanLambdas(node);
    dropUnnamedInnerClasses(node);
    ClassWriter writer = new ClassWriter(0);
    node.accept(writer);
    return new Rewritten(writer.toByteArray(), pruned);
  }

  /** Private synthetic {@code lambda$} methods no remaining method reaches. */
  private static void dropOrphanLambdas(ClassNode node) {
    if (node.methods.stream().anyMatch(m -> m.name.equals("$deserializeLambda$"))) {
      return; // serializable lambdas find their bodies by name
    }
    Set<String> reached = new HashSet<>();
    Deque<MethodNode> todo = new ArrayDeque<>();
    for (MethodNode m : node.methods) {
      if (!isLambdaBody(m)) {
        todo.add(m);
      }
    }
    while (!todo.isEmpty()) {
      MethodNode m = todo.pop();
      if (!reached.add(m.name + m.desc)) {
        continue;
      }
      for (String target : selfCalls(node.name, m)) {
        for (MethodNode n : node.methods) {
          if ((n.name + n.desc).equals(target) && !reached.contains(target)) {
            todo.add(n);
          }
        }
      }
    }
    node.methods.removeIf(m -> isLambdaBody(m) && !reached.contains(m.name + m.desc));
  }

  private static boolean isLambdaBody(MethodNode m) {
    return (m.access & Opcodes.ACC_SYNTHETIC) != 0
        && (m.access & Opcodes.ACC_PRIVATE) != 0
        && m.name.startsWith("lambda$");
  }

  private static List<String> selfCalls(String owner, MethodNode m) {
    List<String> calls = new ArrayList<>();
    for (AbstractInsnNode insn : m.instructions) {
      if (insn instanceof MethodInsnNode call && call.owner.equals(owner)) {
        calls.add(call.name + call.desc);
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        for (Object arg : indy.bsmArgs) {
          if (arg instanceof Handle h && h.getOwner().equals(owner)) {
            calls.add(h.getName() + h.getDesc());
          }
        }
      } else if (insn instanceof LdcInsnNode ldc
          && ldc.cst instanceof Handle h
          && h.getOwner().equals(owner)) {
        calls.add(h.getName() + h.getDesc());
      }
    }
    return calls;
  }

  /**
   * Inner-class entries for classes the rewritten class no longer names (a pruned request's
   * builder): an entry is kept if it is the class itself, one of its own nested classes, or a class
   * something else in the class still names.
   */
  private static void dropUnnamedInnerClasses(ClassNode node) {
    List<InnerClassNode> entries = node.innerClasses;
    node.innerClasses = new ArrayList<>();
    ClassWriter probe = new ClassWriter(0);
    node.accept(probe);
    Set<String> named = StructuralRefs.of(probe.toByteArray());
    List<InnerClassNode> kept = new ArrayList<>();
    for (InnerClassNode e : entries) {
      if (e.name.equals(node.name) || node.name.equals(e.outerName) || named.contains(e.name)) {
        kept.add(e);
      }
    }
    node.innerClasses = kept;
  }
}
