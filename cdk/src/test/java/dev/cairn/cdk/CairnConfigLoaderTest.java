package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cairn.cdk.config.CairnConfig;
import dev.cairn.cdk.config.CairnConfigLoader;
import dev.cairn.cdk.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnConfigLoaderTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode example() throws Exception {
    return (ObjectNode)
        JSON.readTree(
            Files.readString(TestApps.repoRoot().resolve("cdk/cairn.config.example.json")));
  }

  @Test
  void exampleConfig_loads_withSpecDefaults() {
    CairnConfig c = TestApps.exampleConfig();
    assertThat(c.region()).isEqualTo("us-east-1");
    assertThat(c.environments())
        .extracting(CairnConfig.EnvironmentConfig::name)
        .containsExactly("stage", "prod");
    assertThat(c.maxRollbackAttempts()).isEqualTo(2);
    assertThat(c.metadataExportRetentionDays()).isGreaterThanOrEqualTo(180);
  }

  @Test
  void load_withoutTheOptionalCounters_takesTheSpecDefaults() throws Exception {
    ObjectNode c = example();
    c.remove("max_rollback_attempts");
    c.remove("never_promoted_days");
    c.remove("bootstrap_qualifier");

    CairnConfig config = CairnConfigLoader.fromTree(c, "test");

    assertThat(config.maxRollbackAttempts()).isEqualTo(2);
    assertThat(config.neverPromotedDays()).isEqualTo(7);
    assertThat(config.bootstrapQualifier()).isEqualTo("hnb659fds");
  }

  @Test
  void load_takesTheConfiguredCounters() throws Exception {
    ObjectNode c = example();
    c.put("max_rollback_attempts", 3);
    c.put("never_promoted_days", 30);
    c.put("bootstrap_qualifier", "acme01");

    CairnConfig config = CairnConfigLoader.fromTree(c, "test");

    assertThat(config.maxRollbackAttempts()).isEqualTo(3);
    assertThat(config.neverPromotedDays()).isEqualTo(30);
    assertThat(config.bootstrapQualifier()).isEqualTo("acme01");
  }

  @Test
  void load_whenBootstrapQualifierIsNotACdkQualifier_fails() throws Exception {
    ObjectNode c = example();
    c.put("bootstrap_qualifier", "Not-A-Qualifier");
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("bootstrap_qualifier");
  }

  @Test
  void schemaExamples_allValidate() throws Exception {
    try (Stream<Path> files =
        Files.list(TestApps.repoRoot().resolve("schema/examples/cairn-config"))) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("valid-")) {
          assertThat(CairnConfigLoader.load(f)).as(name).isNotNull();
        } else if (name.startsWith("invalid-")) {
          assertThatThrownBy(() -> CairnConfigLoader.load(f))
              .as(name)
              .isInstanceOf(InvalidConfigException.class);
        }
      }
    }
  }

  @Test
  void yamlConfig_loadsLikeJson(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("cairn.yaml");
    Files.writeString(yaml, new YAMLMapper().writeValueAsString(example()));
    assertThat(CairnConfigLoader.load(yaml)).isEqualTo(TestApps.exampleConfig());
  }

  @Test
  void load_whenAnchorEmailMissing_failsNamingIt() throws Exception {
    ObjectNode c = example();
    c.remove("anchor_email");
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("anchor_email");
  }

  @Test
  void load_whenEnvironmentInAnotherRegion_failsSingleRegion() throws Exception {
    ObjectNode c = example();
    ((ObjectNode) c.withArray("environments").get(1)).put("region", "eu-west-1");
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .hasMessageContaining("single-region");
  }

  @Test
  void load_whenExecutionActionIsServiceWildcard_fails() throws Exception {
    ObjectNode c = example();
    ArrayNode actions =
        (ArrayNode)
            c.withArray("environments").get(0).get("execution_policy").get(0).get("actions");
    actions.add("lambda:*");
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .hasMessageContaining("does not match");
  }

  @Test
  void load_whenExecutionResourceWildcardNotScopedByPrefix_fails() throws Exception {
    ObjectNode c = example();
    ArrayNode resources =
        (ArrayNode)
            c.withArray("environments").get(0).get("execution_policy").get(0).get("resources");
    resources.add("arn:{partition}:lambda:{region}:{account}:function:*");
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .hasMessageContaining("not scoped by {prefix}");
  }

  @Test
  void load_whenExecutionResourceIsStar_failsForAnInstallation_andOnlyTheSandboxAnyAppAcceptsIt()
      throws Exception {
    ObjectNode c = example();
    ObjectNode statement =
        ((ArrayNode) c.withArray("environments").get(0).get("execution_policy")).addObject();
    statement.putArray("actions").add("kms:CreateKey");
    statement.putArray("resources").add("*").add("arn:{partition}:kms:{region}:{account}:key/*");

    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .hasMessageContaining("resources[0]: does not match");
    ((ArrayNode) statement.get("resources")).remove(0);
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .hasMessageContaining("not scoped by {prefix}");
    ((ArrayNode) statement.get("resources")).insert(0, "*");
    assertThat(CairnConfigLoader.fromTreeForSandboxAnyApp(c, "test").environments().get(0))
        .extracting(e -> e.executionPolicy().get(e.executionPolicy().size() - 1).resources())
        .isEqualTo(List.of("*", "arn:{partition}:kms:{region}:{account}:key/*"));
  }

  @Test
  void loadForSandboxAnyApp_stillRefusesEveryOtherSchemaViolation() throws Exception {
    ObjectNode c = example();
    ((ArrayNode) c.withArray("environments").get(0).get("execution_policy").get(0).get("actions"))
        .add("lambda:*");
    assertThatThrownBy(() -> CairnConfigLoader.fromTreeForSandboxAnyApp(c, "test"))
        .hasMessageContaining("does not match");
  }

  @Test
  void load_whenExportRetentionBelow180Days_fails() throws Exception {
    ObjectNode c = example();
    c.put("metadata_export_retention_days", 90);
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void load_whenUnknownField_fails() throws Exception {
    JsonNode c = example().put("surprise", true);
    assertThatThrownBy(() -> CairnConfigLoader.fromTree(c, "test"))
        .hasMessageContaining("surprise");
  }
}
