package dev.cairn.jarpruner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.jarpruner.fixture.CallsPrunedOperations;
import dev.cairn.jarpruner.fixture.ReadsOneParameter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The pruner on the real SSM module (software.amazon.awssdk:ssm, as the Lambda jars ship it) plus
 * one class that calls GetParameter; the pruned classes then run in a class loader that has no
 * other copy of SSM.
 */
class JarPrunerTest {

  private static final String SSM = "software/amazon/awssdk/services/ssm/";
  private static final String FIXTURE = "dev/cairn/jarpruner/fixture/";

  private static Map<String, byte[]> input;
  private static JarPruner.Result result;

  @BeforeAll
  static void pruneSsmForOneOperation() throws Exception {
    input = new LinkedHashMap<>();
    Path ssmJar =
        Path.of(SsmClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (ZipFile zip = new ZipFile(ssmJar.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (!e.isDirectory() && !e.getName().startsWith("META-INF/")) {
          try (InputStream in = zip.getInputStream(e)) {
            input.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    input.put(FIXTURE + "ReadsOneParameter.class", testClass(ReadsOneParameter.class));
    result = new JarPruner(input, Map.of()).prune();
  }

  @Test
  void prune_keepsTheCalledOperationsWholeModel() {
    assertThat(result.usedOperations().get("ssm")).containsExactly("getParameter");
    assertThat(result.entries())
        .containsKeys(
            SSM + "model/GetParameterRequest.class",
            SSM + "model/GetParameterRequest$Builder.class",
            SSM + "model/GetParameterRequest$BuilderImpl.class",
            SSM + "model/GetParameterResponse.class",
            SSM + "model/Parameter.class", // nested shape of the response
            SSM + "model/Parameter$BuilderImpl.class",
            SSM + "model/ParameterType.class", // enum inside the nested shape
            SSM + "transform/GetParameterRequestMarshaller.class");
    assertThat(body(SSM + "DefaultSsmClient", "getParameter")).contains(".execute");
  }

  @Test
  void prune_removesAnUnusedOperationAndItsModel() {
    assertThat(result.removed())
        .contains(
            SSM + "model/ListDocumentsRequest",
            SSM + "model/ListDocumentsResponse",
            SSM + "model/DocumentIdentifier",
            SSM + "transform/ListDocumentsRequestMarshaller",
            SSM + "paginators/ListDocumentsIterable");
    assertThat(result.prunedMethods().get(SSM + "DefaultSsmClient"))
        .contains(
            "listDocuments(L"
                + SSM
                + "model/ListDocumentsRequest;)L"
                + SSM
                + "model/ListDocumentsResponse;");
    assertThat(result.prunedMethods().get(SSM + "SsmClient"))
        .contains(
            "listDocuments(Ljava/util/function/Consumer;)L" + SSM + "model/ListDocumentsResponse;",
            "listDocumentsPaginator(L"
                + SSM
                + "model/ListDocumentsRequest;)L"
                + SSM
                + "paginators/ListDocumentsIterable;");
    assertThat(methodNames(SSM + "DefaultSsmClient"))
        .contains("getParameter", "close", "serviceName", "init")
        .doesNotContain("listDocuments", "putParameter", "getParameters");
    assertThat(methodNames(SSM + "SsmClient"))
        .contains("getParameter", "builder", "create", "serviceMetadata")
        .doesNotContain("listDocuments", "listDocumentsPaginator", "waiter");
    assertThat(result.classesAfter().get("ssm")).isLessThan(result.classesBefore().get("ssm") / 3);
  }

  @Test
  void prune_keepsEveryModeledException() {
    List<String> exceptions = new ArrayList<>();
    for (String name : input.keySet()) {
      if (name.startsWith(SSM + "model/") && name.endsWith("Exception.class")) {
        exceptions.add(name);
      }
    }
    assertThat(exceptions)
        .contains(SSM + "model/InvalidDocumentException.class")
        .hasSizeGreaterThan(100);
    assertThat(result.entries()).containsKeys(exceptions.toArray(String[]::new));
  }

  @Test
  void prunedClasses_runTheKeptOperationThroughTheVerifier() throws Exception {
    ClassLoader pruned = new PrunedLoader(result.entries());
    Object value =
        pruned
            .loadClass("dev.cairn.jarpruner.fixture.ReadsOneParameter")
            .getMethod("read", SdkHttpClient.class, String.class)
            .invoke(
                null,
                new AnsweringHttpClient("{\"Parameter\":{\"Name\":\"/c\",\"Value\":\"v1\"}}"),
                "/c");
    assertThat(value).isEqualTo("v1");
  }

  @Test
  void prunedClasses_everyKeptClassLinksAndInitializes() {
    // Linking verifies every method of a class: the verifier loads what an assignment check needs,
    // so a kept method that still needed a removed class would fail here.
    ClassLoader pruned = new PrunedLoader(result.entries());
    List<String> failed = new ArrayList<>();
    int linked = 0;
    for (String name : result.entries().keySet()) {
      if (name.startsWith(SSM) && name.endsWith(".class") && !name.contains("-info")) {
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        try {
          Class.forName(className, true, pruned);
          linked++;
        } catch (Throwable t) {
          failed.add(className + ": " + t);
        }
      }
    }
    assertThat(failed).isEmpty();
    assertThat(linked).isEqualTo(result.classesAfter().get("ssm"));
  }

  @Test
  void prunedClasses_answerReflectionOnTheClient() throws Exception {
    ClassLoader pruned = new PrunedLoader(result.entries());
    // Cairn's SdkClientSource finds each client's builder so; getMethod resolves the types of
    // every method the interface declares.
    Class<?> ssm = pruned.loadClass(SsmClient.class.getName());
    assertThat(ssm.getMethod("builder").invoke(null)).isNotNull();
    assertThat(
            pruned.loadClass("software.amazon.awssdk.services.ssm.DefaultSsmClient").getMethods())
        .extracting(java.lang.reflect.Method::getName)
        .contains("getParameter")
        .doesNotContain("listDocuments");
  }

  @Test
  void prunedClasses_leaveNoRemovedOperationToCall() throws Exception {
    ClassLoader pruned = new PrunedLoader(result.entries());
    Class<?> calls = pruned.loadClass(CallsPrunedOperations.class.getName());
    for (String method : List.of("listDocuments", "listDocumentsWithConsumer")) {
      assertThatThrownBy(
              () ->
                  calls
                      .getMethod(method, SdkHttpClient.class)
                      .invoke(null, new AnsweringHttpClient("{}")))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(NoSuchMethodError.class)
          .hasMessageContaining("listDocuments");
    }
    assertThatThrownBy(
            () ->
                pruned.loadClass("software.amazon.awssdk.services.ssm.model.ListDocumentsRequest"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void invariant_failsOnAPlantedDanglingReference() {
    Map<String, byte[]> planted = new LinkedHashMap<>(result.entries());
    planted.put(
        "dev/cairn/Planted.class",
        classWithField("dev/cairn/Planted", "L" + SSM + "model/ListDocumentsRequest;"));
    assertThatThrownBy(
            () -> DanglingReferences.check(planted, result.removed(), removedOperations()))
        .isInstanceOf(DanglingReferences.Violation.class)
        .hasMessageContaining("dev/cairn/Planted=[" + SSM + "model/ListDocumentsRequest]");
  }

  @Test
  void invariant_failsOnAnUnusedClassConstant() {
    // javac keeps a Class constant for the owner of a constant it inlined (ServiceVersionInfo in
    // each Default<X>Client): no code resolves it, but the jar would name a class it lacks.
    Map<String, byte[]> planted = new LinkedHashMap<>(result.entries());
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "dev/cairn/Inlined", null, "java/lang/Object", null);
    w.newClass(SSM + "model/ListDocumentsRequest");
    w.visitEnd();
    planted.put("dev/cairn/Inlined.class", w.toByteArray());
    assertThatThrownBy(
            () -> DanglingReferences.check(planted, result.removed(), removedOperations()))
        .isInstanceOf(DanglingReferences.Violation.class)
        .hasMessageContaining("dev/cairn/Inlined=[" + SSM + "model/ListDocumentsRequest]");
  }

  @Test
  void invariant_failsOnADanglingNameInAStringConstant() {
    Map<String, byte[]> planted = new LinkedHashMap<>(result.entries());
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "dev/cairn/ByName", null, "java/lang/Object", null);
    w.visitField(
            Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
            "NAME",
            "Ljava/lang/String;",
            null,
            "software.amazon.awssdk.services.ssm.model.ListDocumentsResponse")
        .visitEnd();
    w.visitEnd();
    planted.put("dev/cairn/ByName.class", w.toByteArray());
    assertThatThrownBy(
            () -> DanglingReferences.check(planted, result.removed(), removedOperations()))
        .isInstanceOf(DanglingReferences.Violation.class)
        .hasMessageContaining("dev/cairn/ByName=[" + SSM + "model/ListDocumentsResponse]");
  }

  @Test
  void invariant_holdsForThePrunedJar() {
    DanglingReferences.check(result.entries(), result.removed(), removedOperations());
  }

  @Test
  void invariant_failsOnACallToARemovedOperation() {
    Map<String, byte[]> planted = new LinkedHashMap<>(result.entries());
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "dev/cairn/Caller", null, "java/lang/Object", null);
    var m =
        w.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            "call",
            "(L" + SSM + "SsmClient;)V",
            null,
            null);
    m.visitCode();
    m.visitVarInsn(Opcodes.ALOAD, 0);
    m.visitInsn(Opcodes.ACONST_NULL);
    m.visitTypeInsn(Opcodes.CHECKCAST, "java/util/function/Consumer");
    m.visitMethodInsn(
        Opcodes.INVOKEINTERFACE,
        SSM + "SsmClient",
        "deleteParameter",
        "(Ljava/util/function/Consumer;)L" + SSM + "model/DeleteParameterResponse;",
        true);
    m.visitInsn(Opcodes.POP);
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(2, 1);
    m.visitEnd();
    w.visitEnd();
    planted.put("dev/cairn/Caller.class", w.toByteArray());
    assertThatThrownBy(
            () -> DanglingReferences.check(planted, result.removed(), removedOperations()))
        .isInstanceOf(DanglingReferences.Violation.class)
        .hasMessageContaining("dev/cairn/Caller=[")
        .hasMessageContaining(SSM + "SsmClient.deleteParameter(Ljava/util/function/Consumer;)")
        .hasMessageContaining(SSM + "model/DeleteParameterResponse");
  }

  @Test
  void invariant_failsOnADanglingReferenceInAKeptMethodOfARewrittenClient() {
    Map<String, byte[]> planted = new LinkedHashMap<>(result.entries());
    ClassNode client = node(SSM + "DefaultSsmClient");
    // A kept method (not pruned) that now names a removed class in its descriptor.
    client.methods.add(
        new MethodNode(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT,
            "planted",
            "(L" + SSM + "model/ListDocumentsRequest;)V",
            null,
            null));
    ClassWriter w = new ClassWriter(0);
    client.accept(w);
    planted.put(SSM + "DefaultSsmClient.class", w.toByteArray());
    assertThatThrownBy(
            () -> DanglingReferences.check(planted, result.removed(), removedOperations()))
        .isInstanceOf(DanglingReferences.Violation.class)
        .hasMessageContaining(SSM + "DefaultSsmClient=[" + SSM + "model/ListDocumentsRequest]");
  }

  /** Per client class, the operation names the pruning removed (from the pruned methods). */
  private static Map<String, Set<String>> removedOperations() {
    Map<String, Set<String>> names = new HashMap<>();
    result
        .prunedMethods()
        .forEach(
            (c, methods) -> {
              for (String m : methods) {
                names
                    .computeIfAbsent(c, k -> new java.util.TreeSet<>())
                    .add(m.substring(0, m.indexOf('(')));
              }
            });
    return names;
  }

  private static List<String> methodNames(String className) {
    return node(className).methods.stream().map(m -> m.name).toList();
  }

  private static byte[] classWithField(String name, String descriptor) {
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
    w.visitField(Opcodes.ACC_PUBLIC, "f", descriptor, null, null).visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }

  private static ClassNode node(String className) {
    ClassNode node = new ClassNode();
    new ClassReader(result.entries().get(className + ".class")).accept(node, 0);
    return node;
  }

  /** The string constants of every method {@code name} of the pruned class. */
  private static String body(String className, String name) {
    StringBuilder out = new StringBuilder();
    for (MethodNode m : node(className).methods) {
      if (m.name.equals(name)) {
        m.instructions.forEach(
            i -> {
              if (i instanceof org.objectweb.asm.tree.LdcInsnNode ldc) {
                out.append(ldc.cst).append('\n');
              }
              if (i instanceof org.objectweb.asm.tree.MethodInsnNode call) {
                out.append(call.owner).append('.').append(call.name).append('\n');
              }
            });
      }
    }
    return out.toString();
  }

  private static byte[] testClass(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }

  /**
   * SSM's classes only from the pruned entries, the fixtures defined here too (so they link to
   * them); everything else (the SDK core) from the test class path.
   */
  private static final class PrunedLoader extends ClassLoader {
    private final Map<String, byte[]> entries;
    private final Map<String, Class<?>> defined = new HashMap<>();

    PrunedLoader(Map<String, byte[]> entries) {
      super(JarPrunerTest.class.getClassLoader());
      this.entries = entries;
    }

    @Override
    protected synchronized Class<?> loadClass(String name, boolean resolve)
        throws ClassNotFoundException {
      String path = name.replace('.', '/');
      if (!path.startsWith(SSM) && !path.startsWith(FIXTURE)) {
        return super.loadClass(name, resolve);
      }
      Class<?> c = defined.get(name);
      if (c == null) {
        byte[] bytes = entries.get(path + ".class");
        if (bytes == null && path.startsWith(FIXTURE)) {
          try {
            bytes = testClass(Class.forName(name, false, getParent()));
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (bytes == null) {
          throw new ClassNotFoundException(name + " (pruned)");
        }
        c = defineClass(name, bytes, 0, bytes.length);
        defined.put(name, c);
      }
      return c;
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      byte[] bytes = entries.get(name);
      return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
    }

    @Override
    public java.net.URL getResource(String name) {
      return name.startsWith(SSM) ? null : super.getResource(name);
    }
  }

  /** Answers every request with 200 and one JSON body: no network. */
  private record AnsweringHttpClient(String json) implements SdkHttpClient {
    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", "application/x-amz-json-1.1")
                      .build())
              .responseBody(
                  AbortableInputStream.create(
                      new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
