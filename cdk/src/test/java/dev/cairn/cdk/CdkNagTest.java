package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;

class CdkNagTest {

  @Test
  void awsSolutionsChecks_reportNoUnsuppressedErrors_onEveryStack() {
    CairnApp.CairnStacks stacks = TestApps.shared();
    List<Stack> all =
        new ArrayList<>(List.of(stacks.stateful(), stacks.controlPlane(), stacks.ciOidc()));
    all.addAll(stacks.targets());
    for (Stack stack : all) {
      Template.fromStack(stack); // synth (runs the AwsSolutionsChecks aspect)
      List<?> errors =
          Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
      assertThat(errors).as("cdk-nag errors in %s", stack.getStackName()).isEmpty();
    }
  }

  @Test
  void awsSolutionsChecks_doReportErrors_forANonCompliantBucket() {
    App app = new App();
    Stack stack = new Stack(app, "NagCanary");
    Bucket.Builder.create(stack, "PlainBucket").build();
    Aspects.of(app).add(new AwsSolutionsChecks());
    Template.fromStack(stack);
    assertThat(
            Annotations.fromStack(stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-S10.*")))
        .isNotEmpty();
  }

  @Test
  void lambdaArtifacts_whenJarsMissing_tellsHowToBuildThem(@TempDir Path root) {
    assertThatThrownBy(() -> LambdaArtifacts.fromBuiltJars(root))
        .hasMessageContaining("run ./mvnw -DskipTests package first")
        .hasMessageContaining("lambdas/manifest-verifier/target/manifest-verifier.jar");
  }
}
