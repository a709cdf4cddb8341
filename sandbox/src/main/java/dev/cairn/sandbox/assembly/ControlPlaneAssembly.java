package dev.cairn.sandbox.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cairn's own cloud assembly, synthesized by {@code cdk/} for the sandbox installation ({@code
 * dev.cairn.cdk.SandboxAssembly}), deployed stack by stack in the order of the manifest's {@code
 * dependencies}. Everything the sandbox runs comes from here: the state machine definition and its
 * substitutions, each function's handler, environment, timeout and role, the rules and schedules,
 * the tables, buckets, topics, parameters and alarms, and the IAM policies.
 */
public final class ControlPlaneAssembly {

  /** Classpath root of the assembly (cdk module's {@code sandbox-assembly} jar). */
  public static final String RESOURCE_ROOT = "cairn-sandbox-assembly";

  /** The installation the example service runs on ({@code cairn.config.sandbox.json}). */
  public static final String EXAMPLE_INSTALLATION = "";

  /**
   * The installation for a user's own CDK Pipelines-style app ({@code
   * cairn.config.sandbox-any-app.json}): stacks named {@code Stage-*} and {@code Prod-*}.
   */
  public static final String ANY_APP_INSTALLATION = "any-app";

  /** One Lambda function as the template configures it. */
  public record FunctionSpec(
      String stackName,
      String logicalId,
      String functionName,
      String functionArn,
      List<String> invokeArns,
      String handlerClass,
      Map<String, String> environment,
      int timeoutSeconds,
      Integer reservedConcurrency,
      String roleArn) {
    public FunctionSpec {
      invokeArns = List.copyOf(invokeArns);
      environment = Map.copyOf(environment);
    }
  }

  /** The state machine: its ARN, role and the definition with its substitutions applied. */
  public record StateMachineSpec(String name, String arn, String roleArn, String definition) {}

  /** A resource's logical id, its stack and its resolved properties. */
  public record Resource(DeployedStack stack, String logicalId, ObjectNode properties) {
    public String physicalId() {
      return stack.ref(logicalId);
    }
  }

  private final Source source;
  private final Map<String, DeployedStack> stacks = new LinkedHashMap<>();
  private final Map<String, String> exports = new LinkedHashMap<>();

  /** Where the assembly's files are read from: a directory, or the classpath. */
  public interface Source {
    byte[] read(String file) throws IOException;

    static Source directory(Path cdkOut) {
      return file -> Files.readAllBytes(cdkOut.resolve(file));
    }

    static Source classpath() {
      return classpath(EXAMPLE_INSTALLATION);
    }

    /** The synthesized assembly of {@code installation} ({@link #EXAMPLE_INSTALLATION}, ...). */
    static Source classpath(String installation) {
      String root = installation.isEmpty() ? RESOURCE_ROOT : RESOURCE_ROOT + "/" + installation;
      return file -> {
        String name = root + "/cdk.out/" + file;
        try (InputStream in =
            ControlPlaneAssembly.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException(
                "the sandbox's control-plane assembly is not on the classpath ("
                    + name
                    + "): build it with ./mvnw -q -B -DskipTests package");
          }
          return in.readAllBytes();
        }
      };
    }
  }

  private ControlPlaneAssembly(Source source) throws IOException {
    this.source = source;
    JsonNode manifest = Json.parse(source.read("manifest.json"));
    JsonNode artifacts = manifest.path("artifacts");
    for (String id : deployOrder(artifacts)) {
      JsonNode a = artifacts.path(id);
      String[] env = a.path("environment").asText().replace("aws://", "").split("/");
      JsonNode template =
          Json.parse(source.read(a.path("properties").path("templateFile").asText()));
      DeployedStack stack = new DeployedStack(id, env[0], env[1], template, exports::get);
      exports.putAll(stack.exports());
      stacks.put(id, stack);
    }
  }

  /** The assembly the build put on the classpath. */
  public static ControlPlaneAssembly fromClasspath() {
    return load(Source.classpath());
  }

  /**
   * The assembly of one of the sandbox's installations: {@link #EXAMPLE_INSTALLATION} or {@link
   * #ANY_APP_INSTALLATION} (cdk {@code SandboxAssembly}).
   */
  public static ControlPlaneAssembly fromClasspath(String installation) {
    return load(Source.classpath(installation));
  }

  public static ControlPlaneAssembly load(Source source) {
    try {
      return new ControlPlaneAssembly(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file beside {@code cdk.out} in the assembly jar ({@code keys/ci-signer.pem}, ...). */
  public static String classpathFile(String relative) {
    String name = RESOURCE_ROOT + "/" + relative;
    try (InputStream in = ControlPlaneAssembly.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the sandbox assembly: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<DeployedStack> stacks() {
    return List.copyOf(stacks.values());
  }

  public DeployedStack stack(String name) {
    DeployedStack s = stacks.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "the assembly has no stack " + name + ": " + stacks.keySet());
    }
    return s;
  }

  /** Every resource of {@code type}, across stacks, in deploy order. */
  public List<Resource> resources(String type) {
    List<Resource> out = new ArrayList<>();
    for (DeployedStack s : stacks.values()) {
      for (String id : s.resourcesOfType(type)) {
        out.add(new Resource(s, id, s.properties(id)));
      }
    }
    return out;
  }

  public List<FunctionSpec> functions() {
    List<FunctionSpec> out = new ArrayList<>();
    List<Resource> aliases = resources("AWS::Lambda::Alias");
    for (Resource f : resources("AWS::Lambda::Function")) {
      String name = f.physicalId();
      String arn = f.stack().getAtt(f.logicalId(), "Arn");
      List<String> invokeArns = new ArrayList<>(List.of(arn, name));
      for (Resource a : aliases) {
        String fn = a.properties().path("FunctionName").asText();
        if (fn.equals(name) || fn.equals(arn)) {
          invokeArns.add(a.physicalId());
        }
      }
      Map<String, String> env = new LinkedHashMap<>();
      f.properties()
          .path("Environment")
          .path("Variables")
          .fields()
          .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      String handler = f.properties().path("Handler").asText();
      out.add(
          new FunctionSpec(
              f.stack().stackName(),
              f.logicalId(),
              name,
              arn,
              invokeArns,
              handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler,
              env,
              f.properties().path("Timeout").asInt(3),
              f.properties().has("ReservedConcurrentExecutions")
                  ? f.properties().get("ReservedConcurrentExecutions").asInt()
                  : null,
              f.properties().path("Role").asText()));
    }
    return out;
  }

  /** The function whose {@code CAIRN_FUNCTION} is {@code module} (e.g. {@code deployer}). */
  public FunctionSpec function(String module) {
    return functions().stream()
        .filter(f -> module.equals(f.environment().get("CAIRN_FUNCTION")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the assembly has no function " + module));
  }

  public StateMachineSpec stateMachine() {
    List<Resource> machines = resources("AWS::StepFunctions::StateMachine");
    if (machines.size() != 1) {
      throw new UnsupportedTemplateException(
          "expected one AWS::StepFunctions::StateMachine, found " + machines.size());
    }
    Resource m = machines.get(0);
    Map<String, String> substitutions = new LinkedHashMap<>();
    m.properties()
        .path("DefinitionSubstitutions")
        .fields()
        .forEachRemaining(e -> substitutions.put(e.getKey(), e.getValue().asText()));
    String arn = m.physicalId();
    return new StateMachineSpec(
        arn.substring(arn.lastIndexOf(':') + 1),
        arn,
        m.properties().path("RoleArn").asText(),
        substitute(definitionString(m), substitutions, m.logicalId()));
  }

  private static String definitionString(Resource m) {
    JsonNode d = m.properties().path("DefinitionString");
    if (!d.isTextual()) {
      throw new UnsupportedTemplateException(
          m.logicalId() + ": DefinitionString is not a string after resolution");
    }
    return d.asText();
  }

  /**
   * Step Functions' {@code DefinitionSubstitutions}: each {@code ${Name}} replaced; a placeholder
   * with no substitution fails, as CreateStateMachine would with an invalid definition.
   */
  static String substitute(String text, Map<String, String> values, String where) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int start = text.indexOf("${", i);
      if (start < 0) {
        return out.append(text, i, text.length()).toString();
      }
      int end = text.indexOf('}', start);
      String name = text.substring(start + 2, end);
      String value = values.get(name);
      if (value == null) {
        throw new UnsupportedTemplateException(
            where + ": the definition has an unmapped placeholder ${" + name + "}");
      }
      out.append(text, i, start).append(value);
      i = end + 1;
    }
  }

  /** Stacks (not asset manifests) in an order where every dependency comes first. */
  private static List<String> deployOrder(JsonNode artifacts) {
    Set<String> done = new LinkedHashSet<>();
    List<String> names = new ArrayList<>();
    artifacts.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      visit(n, artifacts, done, new LinkedHashSet<>());
    }
    List<String> stacks = new ArrayList<>();
    for (String n : done) {
      if ("aws:cloudformation:stack".equals(artifacts.path(n).path("type").asText())) {
        stacks.add(n);
      }
    }
    return stacks;
  }

  private static void visit(String n, JsonNode artifacts, Set<String> done, Set<String> path) {
    if (done.contains(n) || !artifacts.has(n)) {
      return;
    }
    if (!path.add(n)) {
      throw new UnsupportedTemplateException("dependency cycle through " + path);
    }
    for (Iterator<JsonNode> it = artifacts.path(n).path("dependencies").elements();
        it.hasNext(); ) {
      visit(it.next().asText(), artifacts, done, path);
    }
    done.add(n);
  }
}
