package dev.cairn.core.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudAssemblyTest {

  static final Path EXAMPLE = Path.of("../../examples/hello-service/cdk.out");

  @Test
  void planFor_exampleStage_ordersDataBeforeApi() throws Exception {
    CloudAssembly assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(EXAMPLE));

    var plan = assembly.planFor("111111111111", "us-east-1");

    assertThat(plan)
        .extracting(StackArtifact::stackName)
        .containsExactly("hello-stage-data", "hello-stage-api");
    assertThat(plan.get(0).templatePath()).isEqualTo("hello-stage-data.template.json");
    assertThat(plan.get(0).requiresBootstrapStackVersion()).isEqualTo(6);
    assertThat(plan.get(0).bootstrapStackVersionSsmParameter())
        .isEqualTo("/cdk-bootstrap/hnb659fds/version");
  }

  @Test
  void planFor_accountWithoutStacks_isRefused() throws Exception {
    CloudAssembly assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(EXAMPLE));

    assertThatThrownBy(() -> assembly.planFor("333333333333", "us-east-1"))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(AssemblyException.Reason.NO_STACKS_FOR_ENVIRONMENT));
  }

  @Test
  void read_whenSchemaNewerThanSupported_isRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("manifest.json"), "{\"version\":\"99.0.0\",\"artifacts\":{}}");

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> assertThat(e.reason()).isEqualTo(AssemblyException.Reason.SCHEMA_TOO_NEW));
  }

  @Test
  void read_whenContextLookupsUnresolved_isRefused(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"version\":\"54.0.0\",\"artifacts\":{},\"missing\":[{\"key\":\"vpc-provider:account=1:filter.vpc-id=vpc-1\",\"provider\":\"vpc-provider\",\"props\":{}}]}");

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(AssemblyException.Reason.UNRESOLVED_CONTEXT_LOOKUPS);
              assertThat(e.getMessage()).contains("vpc-provider:account=1");
            });
  }

  @Test
  void planFor_whenDependenciesFormACycle_isRefused(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {"version":"54.0.0","artifacts":{
          "a":{"type":"aws:cloudformation:stack","environment":"aws://1/us-east-1","dependencies":["b"],"properties":{"templateFile":"a.json"}},
          "b":{"type":"aws:cloudformation:stack","environment":"aws://1/us-east-1","dependencies":["a"],"properties":{"templateFile":"b.json"}}}}
        """);
    CloudAssembly assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(dir));

    assertThatThrownBy(() -> assembly.planFor("1", "us-east-1"))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> assertThat(e.reason()).isEqualTo(AssemblyException.Reason.DEPENDENCY_CYCLE));
  }

  @Test
  void read_whenStackIsEnvironmentAgnostic_isRefused(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        "{\"version\":\"54.0.0\",\"artifacts\":{\"a\":{\"type\":\"aws:cloudformation:stack\",\"environment\":\"aws://unknown-account/unknown-region\",\"properties\":{\"templateFile\":\"a.json\"}}}}");

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOf(AssemblyException.class)
        .hasMessageContaining("environment-specific");
  }
}
