package dev.cairn.contextgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * Without a context file, synth records every lookup as missing context: exactly the set the CDK
 * CLI resolves (with the context-generator role) into cdk.context.json.
 */
class ContextLookupStackTest {

  static CloudAssembly assembly;

  @BeforeAll
  static void synth() {
    App app = new App();
    LookupSpec spec =
        LookupSpec.load(
            Path.of(System.getProperty("cairn.repo.root", ".."))
                .resolve("context-generator/lookups.example.json"),
            "stage");
    ContextGeneratorApp.build(app, "stage", spec);
    assembly = app.synth();
  }

  @Test
  void lookups_defineTheContext_vpcAzsAndSsmParameters() {
    List<software.amazon.awscdk.cloud_assembly_schema.MissingContext> missing =
        assembly.getManifest().getMissing();
    assertThat(missing).isNotNull();
    Set<software.amazon.awscdk.cloud_assembly_schema.ContextProvider> providers =
        missing.stream().map(m -> m.getProvider()).collect(Collectors.toSet());
    assertThat(providers)
        .contains(
            software.amazon.awscdk.cloud_assembly_schema.ContextProvider.VPC_PROVIDER,
            software.amazon.awscdk.cloud_assembly_schema.ContextProvider.AVAILABILITY_ZONE_PROVIDER,
            software.amazon.awscdk.cloud_assembly_schema.ContextProvider.SSM_PARAMETER_PROVIDER);
    Set<String> keys = missing.stream().map(m -> m.getKey()).collect(Collectors.toSet());
    assertThat(keys)
        .anyMatch(k -> k.startsWith("availability-zones:account=222222222222:region=us-east-1"))
        .anyMatch(k -> k.startsWith("ssm:account=222222222222:parameterName=/myapp/shared/vpc-id"))
        .anyMatch(
            k -> k.startsWith("vpc-provider:account=222222222222") && k.contains("cairn:shared"));
  }

  @Test
  void lookupSpec_rejectsUnknownEnvironment() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                LookupSpec.load(
                    Path.of(System.getProperty("cairn.repo.root", ".."))
                        .resolve("context-generator/lookups.example.json"),
                    "nope"))
        .hasMessageContaining("no environment 'nope'");
  }
}
