package dev.cairn.sandbox.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reads the assembly the build synthesized from cdk/ (not a fixture): what the sandbox runs. */
class ControlPlaneAssemblyTest {

  private static final ControlPlaneAssembly ASSEMBLY = ControlPlaneAssembly.fromClasspath();

  @Test
  void stateMachine_hasEverySubstitutionFilled() {
    ControlPlaneAssembly.StateMachineSpec m = ASSEMBLY.stateMachine();
    assertThat(m.arn())
        .isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline");
    assertThat(m.definition()).doesNotContain("${").contains("function:");
  }

  @Test
  void functions_resolveEveryEnvironmentVariable() throws Exception {
    assertThat(ASSEMBLY.functions()).hasSize(7);
    for (ControlPlaneAssembly.FunctionSpec f : ASSEMBLY.functions()) {
      assertThat(f.environment().values()).noneMatch(v -> v.contains("{") || v.contains("Fn::"));
      assertThat(f.environment()).containsEntry("METADATA_TABLE_NAME", "cdk-artifact-metadata");
      assertThat(f.roleArn()).startsWith("arn:aws:iam::000000000000:role/");
      assertThat(Class.forName(f.handlerClass())).isNotNull();
      assertThat(f.invokeArns()).anyMatch(a -> a.endsWith(":live"));
    }
  }

  @Test
  void rules_areTheSynthesizedOnes() {
    Set<String> rules =
        ASSEMBLY.resources("AWS::Events::Rule").stream()
            .map(ControlPlaneAssembly.Resource::logicalId)
            .collect(Collectors.toSet());
    assertThat(rules).anyMatch(r -> r.startsWith("ManifestUploadedRule"));
    assertThat(rules).anyMatch(r -> r.startsWith("ExecutionStatusChangeRule"));
  }
}
