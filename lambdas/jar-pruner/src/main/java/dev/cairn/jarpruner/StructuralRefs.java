package dev.cairn.jarpruner;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

/**
 * Every class a class file names where the JVM or reflection can resolve it, read by visiting the
 * class (ASM's {@link ClassRemapper} maps each one): super types, fields, methods, throws clauses,
 * instructions, handles, constants, frames, locals, try/catch types, inner classes, annotations,
 * signatures; plus string constants spelled like a class name ({@code Class.forName}).
 */
final class StructuralRefs {

  private StructuralRefs() {}

  /** The names, slashed; strings as found, with dots replaced by slashes. */
  static Set<String> of(byte[] classFile) {
    Recorder recorder = new Recorder();
    new ClassReader(classFile).accept(new ClassRemapper(Opcodes.ASM9, new Sink(), recorder) {}, 0);
    return recorder.names;
  }

  private static final class Recorder extends Remapper {
    final Set<String> names = new HashSet<>();

    Recorder() {
      super();
    }

    @Override
    public String map(String internalName) {
      names.add(internalName);
      return internalName;
    }

    @Override
    public Object mapValue(Object value) {
      if (value instanceof String s && s.indexOf('.') > 0 && s.indexOf(' ') < 0) {
        names.add(s.replace('.', '/'));
      }
      return super.mapValue(value);
    }
  }

  /** Visits everything and writes nothing, so the remapper sees every name. */
  private static final class Sink extends ClassVisitor {
    Sink() {
      super(Opcodes.ASM9);
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return new SinkAnnotation();
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(
        int typeRef, org.objectweb.asm.TypePath typePath, String descriptor, boolean visible) {
      return new SinkAnnotation();
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      return new FieldVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String d, boolean v) {
          return new SinkAnnotation();
        }
      };
    }

    @Override
    public RecordComponentVisitor visitRecordComponent(
        String name, String descriptor, String signature) {
      return new RecordComponentVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String d, boolean v) {
          return new SinkAnnotation();
        }
      };
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String d, boolean v) {
          return new SinkAnnotation();
        }

        @Override
        public AnnotationVisitor visitAnnotationDefault() {
          return new SinkAnnotation();
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int p, String d, boolean v) {
          return new SinkAnnotation();
        }
      };
    }
  }

  private static final class SinkAnnotation extends AnnotationVisitor {
    SinkAnnotation() {
      super(Opcodes.ASM9);
    }

    @Override
    public AnnotationVisitor visitAnnotation(String name, String descriptor) {
      return this;
    }

    @Override
    public AnnotationVisitor visitArray(String name) {
      return this;
    }
  }

  /** The object types a method descriptor names (arguments and return, arrays unwrapped). */
  static Set<String> descriptorTypes(String methodDescriptor) {
    Set<String> types = new HashSet<>();
    for (Type t : Type.getArgumentTypes(methodDescriptor)) {
      add(types, t);
    }
    add(types, Type.getReturnType(methodDescriptor));
    return types;
  }

  private static void add(Set<String> types, Type t) {
    Type element = t.getSort() == Type.ARRAY ? t.getElementType() : t;
    if (element.getSort() == Type.OBJECT) {
      types.add(element.getInternalName());
    }
  }
}
