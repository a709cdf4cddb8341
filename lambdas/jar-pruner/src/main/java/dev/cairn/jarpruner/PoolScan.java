package dev.cairn.jarpruner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;

/**
 * Reads a class file's constant pool as it is, without visiting the class: every UTF-8 constant (so
 * class names in Class constants, descriptors, signatures, annotations and string constants alike)
 * and every method reference. Over-approximates on purpose: a name counts wherever it is spelled.
 */
final class PoolScan {

  /** Where AWS SDK v2 service modules live; only names under it can be pruned. */
  static final String SERVICES = "software/amazon/awssdk/services/";

  private static final String SERVICES_DOTTED = "software.amazon.awssdk.services.";
  private static final int UTF8 = 1;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;

  private PoolScan() {}

  /** A method reference: owner, name, descriptor. */
  record MethodRef(String owner, String name, String descriptor) {}

  /**
   * Calls {@code found} with every name under {@link #SERVICES} that the class's constant pool
   * spells (slashed or dotted) and that {@code classes} holds; a spelled name that is not a class
   * counts for its longest prefix that is one (a member name after a class name).
   */
  static void serviceClassNames(byte[] classFile, Set<String> classes, Consumer<String> found) {
    ClassReader reader = new ClassReader(classFile);
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0 || classFile[offset - 1] != UTF8) {
        continue;
      }
      // Class names are ASCII: the modified UTF-8 bytes read as Latin-1 spell them unchanged.
      String utf8 =
          new String(
              classFile, offset + 2, reader.readUnsignedShort(offset), StandardCharsets.ISO_8859_1);
      if (utf8.contains(SERVICES) || utf8.contains(SERVICES_DOTTED)) {
        namesIn(utf8, classes, found);
      }
    }
  }

  /** As {@link #serviceClassNames} for a text resource (service files, interceptor lists). */
  static void serviceClassNamesInText(
      byte[] resource, Set<String> classes, Consumer<String> found) {
    String text = new String(resource, StandardCharsets.ISO_8859_1);
    if (text.contains(SERVICES) || text.contains(SERVICES_DOTTED)) {
      namesIn(text, classes, found);
    }
  }

  static void namesIn(String text, Set<String> classes, Consumer<String> found) {
    int from = 0;
    while (true) {
      int slashed = text.indexOf(SERVICES, from);
      int dotted = text.indexOf(SERVICES_DOTTED, from);
      int start = slashed < 0 ? dotted : dotted < 0 ? slashed : Math.min(slashed, dotted);
      if (start < 0) {
        return;
      }
      int end = start;
      while (end < text.length() && isNameChar(text.charAt(end))) {
        end++;
      }
      String name = text.substring(start, end).replace('.', '/');
      while (!name.isEmpty()) {
        if (classes.contains(name)) {
          found.accept(name);
          break;
        }
        int cut = name.lastIndexOf('/');
        if (cut <= SERVICES.length()) {
          break;
        }
        name = name.substring(0, cut);
      }
      from = end;
    }
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '/' || c == '.';
  }

  /** Every method reference (Methodref, InterfaceMethodref) in the class's constant pool. */
  static List<MethodRef> methodRefs(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    char[] buffer = new char[reader.getMaxStringLength()];
    List<MethodRef> refs = new ArrayList<>();
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0) {
        continue;
      }
      int tag = classFile[offset - 1];
      if (tag == LONG || tag == DOUBLE) {
        continue;
      }
      if (tag == METHODREF || tag == INTERFACE_METHODREF) {
        String owner = reader.readClass(offset, buffer);
        int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
        refs.add(
            new MethodRef(
                owner,
                reader.readUTF8(nameAndType, buffer),
                reader.readUTF8(nameAndType + 2, buffer)));
      }
    }
    return refs;
  }

  /** Every string constant (CONSTANT_String) in the class's constant pool. */
  static List<String> stringConstants(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    char[] buffer = new char[reader.getMaxStringLength()];
    List<String> strings = new ArrayList<>();
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset != 0 && classFile[offset - 1] == 8) {
        strings.add(reader.readUTF8(offset, buffer));
      }
    }
    return strings;
  }
}
