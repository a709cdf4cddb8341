package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

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
}
