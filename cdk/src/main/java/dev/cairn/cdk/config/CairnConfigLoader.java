package dev.cairn.cdk.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads a {@link CairnConfig} from JSON or YAML, validates it against {@code
 * schema/cairn-config.v1.json}, then checks the rules a schema cannot express. Any failure is an
 * {@link InvalidConfigException} whose message names every problem.
 */
public final class CairnConfigLoader {

  /** Classpath location of the schema (copied from schema/ by the cdk module's build). */
  public static final String SCHEMA_RESOURCE = "/schema/cairn-config.v1.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private CairnConfigLoader() {}

  /** Reads, validates and maps the file at {@code path} (.json, .yaml or .yml). */
  public static CairnConfig load(Path path) {
    String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
    JsonNode tree;
    try {
      tree = mapper.readTree(Files.readString(path));
    } catch (IOException e) {
      throw new InvalidConfigException("cannot read config " + path + ": " + e.getMessage(), e);
    }
    return fromTree(tree, path.toString());
  }

  /** Validates and maps an already parsed document; {@code origin} names it in messages. */
  public static CairnConfig fromTree(JsonNode tree, String origin) {
    return fromTree(tree, origin, true);
  }

  /**
   * {@link #fromTree(JsonNode, String)} without the rule that every wildcard of an execution policy
   * comes after {@code {prefix}}, and accepting the resource {@code *} (for actions with no
   * resource type, such as {@code kms:CreateKey}): for the sandbox's bring-your-own-app
   * installation only ({@code SandboxAssembly}), whose execution role must create the resources
   * real apps declare with service-generated ids ({@code vpc-…}, KMS key ids) or names the app
   * chose, which no stack-name prefix scopes (docs/decisions/2026-12-06-cdk-out-installation.md).
   * {@code CairnApp}, which synthesizes real installations, never calls it.
   */
  public static CairnConfig fromTreeForSandboxAnyApp(JsonNode tree, String origin) {
    return fromTree(tree, origin, false);
  }

  private static CairnConfig fromTree(JsonNode tree, String origin, boolean prefixScopedWildcards) {
    Set<ValidationMessage> problems = new HashSet<>(schema().validate(tree));
    if (!prefixScopedWildcards) {
      // Actions with no resource type (kms:CreateKey, ec2:Describe*) are authorized on "*".
      problems.removeIf(m -> isStarExecutionResource(tree, m.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(
          origin
              + " does not match cairn-config.v1.json:\n  "
              + problems.stream()
                  .map(ValidationMessage::getMessage)
                  .sorted()
                  .collect(Collectors.joining("\n  ")));
    }
    CairnConfig config;
    try {
      config = JSON.treeToValue(tree, CairnConfig.class);
    } catch (IOException e) {
      throw new InvalidConfigException(origin + ": " + e.getMessage(), e);
    }
    checkCrossFieldRules(config, origin, prefixScopedWildcards);
    return config;
  }

  private static final java.util.regex.Pattern EXECUTION_RESOURCE =
      java.util.regex.Pattern.compile(
          "^\\$\\.environments\\[(\\d+)]\\.execution_policy\\[(\\d+)]\\.resources\\[(\\d+)]: .*");

  private static boolean isStarExecutionResource(JsonNode tree, String message) {
    java.util.regex.Matcher m = EXECUTION_RESOURCE.matcher(message);
    return m.matches()
        && tree.path("environments")
            .path(Integer.parseInt(m.group(1)))
            .path("execution_policy")
            .path(Integer.parseInt(m.group(2)))
            .path("resources")
            .path(Integer.parseInt(m.group(3)))
            .asText()
            .equals("*");
  }

  private static void checkCrossFieldRules(
      CairnConfig config, String origin, boolean prefixScopedWildcards) {
    StringBuilder errors = new StringBuilder();
    Set<String> names = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    for (CairnConfig.EnvironmentConfig env : config.environments()) {
      if (!env.region().equals(config.region())) {
        errors
            .append("\n  environment ")
            .append(env.name())
            .append(" is in ")
            .append(env.region())
            .append(" but Cairn is single-region: every environment must use the tools region ")
            .append(config.region());
      }
      if (!names.add(env.name())) {
        errors.append("\n  duplicate environment name ").append(env.name());
      }
      if (!prefixes.add(env.account() + "/" + env.stackNamePrefix())) {
        errors.append("\n  duplicate stack_name_prefix ").append(env.stackNamePrefix());
      }
      for (CairnConfig.ExecutionStatement st : env.executionPolicy()) {
        for (String resource : st.resources()) {
          int star = resource.indexOf('*');
          int prefix = resource.indexOf("{prefix}");
          if (prefixScopedWildcards && star >= 0 && (prefix < 0 || star < prefix)) {
            errors
                .append("\n  environment ")
                .append(env.name())
                .append(": resource ")
                .append(resource)
                .append(" has a wildcard that is not scoped by {prefix}");
          }
        }
      }
    }
    if (errors.length() > 0) {
      throw new InvalidConfigException(origin + " is invalid:" + errors);
    }
  }

  private static JsonSchema schema() {
    try (InputStream in = CairnConfigLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is not on the classpath");
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
