package dev.cairn.bench.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JVM flags each function runs with on Lambda, read from the control plane's synthesized
 * template (what `cdk synth` produces, not a copy of it): the runtime's own default, then the
 * function's {@code JAVA_TOOL_OPTIONS}. AWS documents the default: "For Java 17 and Java 21, Lambda
 * configures the JVM to stop tiered compilation at level 1 by default"; from Java 25 it does so
 * only without SnapStart or provisioned concurrency (Lambda developer guide, "Customize Java
 * runtime startup behavior"). The hashing functions set {@code -XX:TieredStopAtLevel=4} in their
 * {@code JAVA_TOOL_OPTIONS} (dev.cairn.cdk.CairnFunction), which comes after the default and wins.
 */
final class FunctionJvmFlags {

  static final List<String> C1_ONLY = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

  /** The property the bench's pom sets to the template's path in this checkout. */
  static final String TEMPLATE_PROPERTY = "cairn.template";

  private FunctionJvmFlags() {}

  static Path template() {
    String path = System.getProperty(TEMPLATE_PROPERTY);
    if (path == null) {
      throw new IllegalStateException(
          "-D" + TEMPLATE_PROPERTY + " is not set (bench/lambda/pom.xml sets it)");
    }
    return Path.of(path).normalize();
  }

  /**
   * Per {@code CAIRN_FUNCTION} (the handler's module name), the flags Lambda starts its JVM with;
   * and under {@code ""}, those of a function of the same runtime without {@code JAVA_TOOL_OPTIONS}
   * (the minimal handler's).
   */
  static Map<String, List<String>> read(Path template) throws IOException {
    if (!Files.isRegularFile(template)) {
      throw new IllegalStateException(
          "no synthesized control plane at "
              + template
              + ": bench/lambda runs each handler with the JVM flags its function ships with, read"
              + " from that template. Build it first: ./mvnw -B -q install -pl cdk -am -DskipTests");
    }
    JsonNode resources = new ObjectMapper().readTree(template.toFile()).path("Resources");
    Map<String, List<String>> flags = new LinkedHashMap<>();
    Set<String> runtimes = new TreeSet<>();
    for (JsonNode r : resources) {
      if (!r.path("Type").asText().equals("AWS::Lambda::Function")) {
        continue;
      }
      JsonNode properties = r.path("Properties");
      JsonNode variables = properties.path("Environment").path("Variables");
      String function = variables.path("CAIRN_FUNCTION").asText("");
      if (function.isEmpty()) {
        continue;
      }
      String runtime = properties.path("Runtime").asText();
      boolean snapStart =
          properties.path("SnapStart").path("ApplyOn").asText().equals("PublishedVersions");
      runtimes.add(runtime + (snapStart ? " with SnapStart" : ""));
      List<String> f = new ArrayList<>(runtimeDefault(runtime, snapStart));
      JsonNode toolOptionsNode = variables.path("JAVA_TOOL_OPTIONS");
      if (!toolOptionsNode.isMissingNode() && !toolOptionsNode.isTextual()) {
        throw new IllegalStateException(
            function + "'s JAVA_TOOL_OPTIONS is not a literal string in " + template);
      }
      String toolOptions = toolOptionsNode.asText("").trim();
      if (!toolOptions.isEmpty()) {
        f.addAll(Arrays.asList(toolOptions.split("\\s+")));
      }
      flags.put(function, List.copyOf(f));
      flags.putIfAbsent("", runtimeDefault(runtime, snapStart));
    }
    if (runtimes.size() != 1) {
      throw new IllegalStateException(
          "expected every Cairn function in " + template + " on one runtime, found " + runtimes);
    }
    return flags;
  }

  /** The flags of one of the bench's runs: a handler, its twins, or the minimal handler. */
  static List<String> forRun(Map<String, List<String>> flags, String run) {
    String function = run.startsWith("twins-") ? run.substring("twins-".length()) : run;
    if (function.equals("minimal") || function.equals("minimal-primed")) {
      function = "";
    }
    List<String> f = flags.get(function);
    if (f == null) {
      throw new IllegalStateException(
          "the synthesized template has no function with CAIRN_FUNCTION=" + function);
    }
    return f;
  }

  private static List<String> runtimeDefault(String runtime, boolean snapStart) {
    return switch (runtime) {
      case "java17", "java21" -> C1_ONLY;
      case "java25" -> snapStart ? List.of() : C1_ONLY;
      default ->
          throw new IllegalStateException(
              "bench/lambda does not know the JVM flags of Lambda's " + runtime + " runtime");
    };
  }
}
