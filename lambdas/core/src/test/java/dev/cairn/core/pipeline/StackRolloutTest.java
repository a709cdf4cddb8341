package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.deploy.StackPolicy;
import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.pipeline.port.StackDeployer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StackRolloutTest {

  static final Path EXAMPLE = Path.of("../../examples/hello-service/cdk.out");

  @Test
  void advance_createsTheChangeSetFromTheTemplatePublishedInTheTargetAccount() throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();
    StackRollout rollout =
        new StackRollout(
            cfn,
            CloudAssembly.read(new LocalDirectoryArtifactSource(EXAMPLE))
                .planFor("222222222222", "us-east-1"),
            "cairn-deploy-1",
            stack -> "token-" + stack.stackName(),
            "arn:aws:iam::222222222222:role/cairn-prod-cfn-exec",
            stack -> StackPolicy.protectingStatefulResources(),
            Map.of("cairn:service", "hello"),
            "/cdk-bootstrap/hnb659fds/version",
            stack -> stack.templateObject().templateUrl("v-" + stack.stackName()));

    StackRollout.Step step = rollout.advance(false);

    assertThat(step.phase()).isEqualTo(StackRollout.Phase.IN_PROGRESS);
    assertThat(cfn.requests).hasSize(1);
    StackDeployer.ChangeSetRequest request = cfn.requests.get(0);
    assertThat(request.stackName()).isEqualTo("hello-prod-data");
    // The prod account's own bootstrap bucket, where cdk-assets published the template and gate 8
    // hashed it; never the tools account's candidate bucket. The version is the one the deploy
    // checked (here the rollout's templateUrl function, asked once, for this stack).
    assertThat(request.templateUrl())
        .isEqualTo(
            "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-222222222222-us-east-1/"
                + "545de3341f1c44594eb81c922f80c096b8067d2bcd8fb75a920cf9ab68db3c08.json"
                + "?versionId=v-hello-prod-data");
  }

  private static StackRollout rollout(CapturingDeployer cfn, String bootstrapVersionParameter)
      throws Exception {
    return new StackRollout(
        cfn,
        CloudAssembly.read(new LocalDirectoryArtifactSource(EXAMPLE))
            .planFor("222222222222", "us-east-1"),
        "cairn-deploy-1",
        stack -> "token-" + stack.stackName(),
        "arn:aws:iam::222222222222:role/cairn-prod-cfn-exec",
        stack -> StackPolicy.protectingStatefulResources(),
        Map.of("cairn:service", "hello"),
        bootstrapVersionParameter,
        stack -> stack.templateObject().templateUrl());
  }

  @Test
  void advance_readsTheConfiguredQualifiersBootstrapVersionParameter() throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();

    rollout(cfn, ControlPlaneConfig.bootstrapVersionParameter("hnb659fds")).advance(false);

    assertThat(cfn.bootstrapParametersRead).containsExactly("/cdk-bootstrap/hnb659fds/version");
  }

  @Test
  void advance_whenTheStackNamesAnotherQualifiersBootstrap_failsWithoutDeploying()
      throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();

    StackRollout.Step step =
        rollout(cfn, ControlPlaneConfig.bootstrapVersionParameter("acme01")).advance(false);

    assertThat(step.phase()).isEqualTo(StackRollout.Phase.FAILED);
    assertThat(step.reason())
        .contains("/cdk-bootstrap/hnb659fds/version")
        .contains("/cdk-bootstrap/acme01/version")
        .contains("bootstrap_qualifier");
    assertThat(cfn.bootstrapParametersRead).isEmpty();
    assertThat(cfn.requests).isEmpty();
  }

  /** A Stage's stack with the properties CDK writes: aurora-dashboard of the real-apps corpus. */
  static final Path AURORA = Path.of("../../examples/refused-apps/aurora-dashboard/cdk.out");

  private static StackRollout auroraRollout(CapturingDeployer cfn) throws Exception {
    return new StackRollout(
        cfn,
        CloudAssembly.read(new LocalDirectoryArtifactSource(AURORA))
            .planFor("111111111111", "us-east-1"),
        "cairn-deploy-1",
        stack -> "token-" + stack.stackName(),
        "arn:aws:iam::111111111111:role/cairn-stage-cfn-exec",
        stack -> StackPolicy.protectingStatefulResources(),
        Map.of("cairn:service", "aurora"),
        "/cdk-bootstrap/hnb659fds/version",
        stack -> stack.templateObject().templateUrl("v1"));
  }

  @Test
  void advance_passesTheStacksNotificationArnsAndTags_withTheInstallationsExecutionRole()
      throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();

    auroraRollout(cfn).advance(false);

    StackDeployer.ChangeSetRequest request = cfn.requests.get(0);
    assertThat(request.stackName()).isEqualTo("Stage-AuroraStack");
    assertThat(request.notificationArns())
        .containsExactly("arn:aws:sns:us-east-1:111111111111:cloudformation-events");
    assertThat(request.tags())
        .containsEntry("cost-center", "databases")
        .containsEntry("cairn:service", "aurora");
    // Not the assembly's cloudFormationExecutionRoleArn (cdk-hnb659fds-cfn-exec-role-...): the
    // installation's, whose boundary Cairn controls.
    assertThat(request.roleArn()).isEqualTo("arn:aws:iam::111111111111:role/cairn-stage-cfn-exec");
  }

  @Test
  void advance_afterTheDeploy_turnsTerminationProtectionOnOnce() throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();
    cfn.deployed = true;
    StackRollout rollout = auroraRollout(cfn);

    StackRollout.Step first = rollout.advance(true);
    StackRollout.Step second = rollout.advance(true);

    assertThat(first.phase()).isEqualTo(StackRollout.Phase.IN_PROGRESS);
    assertThat(first.reason()).isEqualTo("termination protection on");
    assertThat(cfn.protection).containsExactly("Stage-AuroraStack=true");
    assertThat(second.phase()).isEqualTo(StackRollout.Phase.SUCCEEDED);
    assertThat(cfn.protection).hasSize(1);
  }

  @Test
  void advance_whenTheStackIsAlreadyProtectedAndTheAssemblyIsNot_turnsItOff() throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();
    cfn.deployed = true;
    cfn.protectedStacks.add("hello-prod-data");

    rollout(cfn, "/cdk-bootstrap/hnb659fds/version").advance(true);

    assertThat(cfn.protection).containsExactly("hello-prod-data=false");
  }

  @Test
  void checkTemplates_asksForEveryStacksTemplateBeforeAnyChangeSet() throws Exception {
    CapturingDeployer cfn = new CapturingDeployer();
    List<String> asked = new ArrayList<>();
    StackRollout rollout =
        new StackRollout(
            cfn,
            CloudAssembly.read(new LocalDirectoryArtifactSource(EXAMPLE))
                .planFor("222222222222", "us-east-1"),
            "cairn-deploy-1",
            stack -> "token-" + stack.stackName(),
            "arn:aws:iam::222222222222:role/cairn-prod-cfn-exec",
            stack -> StackPolicy.protectingStatefulResources(),
            Map.of("cairn:service", "hello"),
            "/cdk-bootstrap/hnb659fds/version",
            stack -> {
              asked.add(stack.stackName());
              if (stack.stackName().equals("hello-prod-api")) {
                throw new EvidenceRefused(EvidenceFailure.TEMPLATE_DESTINATION_MISMATCH, "other");
              }
              return stack.templateObject().templateUrl("v1");
            });

    assertThatThrownBy(rollout::checkTemplates).isInstanceOf(EvidenceRefused.class);

    assertThat(asked).containsExactly("hello-prod-data", "hello-prod-api");
    assertThat(cfn.requests).isEmpty();
  }

  // The template CloudFormation is given is the version the deploy role just read and hashed.

  private static final LocalDirectoryArtifactSource SOURCE =
      new LocalDirectoryArtifactSource(EXAMPLE);

  private static dev.cairn.core.assembly.StackArtifact dataStack() throws Exception {
    return CloudAssembly.read(SOURCE).planFor("222222222222", "us-east-1").get(0);
  }

  private static byte[] artifactTemplate(dev.cairn.core.assembly.StackArtifact stack)
      throws Exception {
    try (var in = SOURCE.open(stack.templatePath())) {
      return in.readAllBytes();
    }
  }

  @Test
  void pinnedTemplateUrl_whenThePublishedTemplateIsTheArtifacts_pinsTheVersionItRead()
      throws Exception {
    var stack = dataStack();
    CapturingDeployer cfn = new CapturingDeployer();
    cfn.templates.put(
        stack.templateObject().s3Url(),
        new StackDeployer.TemplateRead(
            artifactTemplate(stack), "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH"));

    String url = RolloutUseCase.pinnedTemplateUrl(cfn, SOURCE, stack);

    assertThat(url)
        .isEqualTo(
            stack.templateObject().templateUrl() + "?versionId=3sL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrH");
    assertThat(cfn.templatesRead).containsExactly("222222222222 " + stack.templateObject().s3Url());
  }

  @Test
  void pinnedTemplateUrl_whenThePublishedTemplateDiffers_refusesWithItsCode() throws Exception {
    var stack = dataStack();
    CapturingDeployer cfn = new CapturingDeployer();
    byte[] other = artifactTemplate(stack);
    other[other.length - 2] ^= 1;
    cfn.templates.put(stack.templateObject().s3Url(), new StackDeployer.TemplateRead(other, "v1"));

    assertThatThrownBy(() -> RolloutUseCase.pinnedTemplateUrl(cfn, SOURCE, stack))
        .isInstanceOfSatisfying(
            EvidenceRefused.class,
            e -> assertThat(e.failure()).isEqualTo(EvidenceFailure.TEMPLATE_DESTINATION_MISMATCH))
        .hasMessageContaining(stack.templatePath());
  }

  @Test
  void pinnedTemplateUrl_whenTheTemplateIsNotPublished_refusesWithItsCode() throws Exception {
    var stack = dataStack();

    assertThatThrownBy(
            () -> RolloutUseCase.pinnedTemplateUrl(new CapturingDeployer(), SOURCE, stack))
        .isInstanceOfSatisfying(
            EvidenceRefused.class,
            e -> assertThat(e.failure()).isEqualTo(EvidenceFailure.TEMPLATE_DESTINATION_MISMATCH))
        .hasMessageContaining("cdk-assets publish");
  }

  @Test
  void pinnedTemplateUrl_whenTheBucketGivesNoVersion_refusesRatherThanDeployUnpinned()
      throws Exception {
    var stack = dataStack();
    for (String none : new String[] {null, "null"}) {
      CapturingDeployer cfn = new CapturingDeployer();
      cfn.templates.put(
          stack.templateObject().s3Url(),
          new StackDeployer.TemplateRead(artifactTemplate(stack), none));

      assertThatThrownBy(() -> RolloutUseCase.pinnedTemplateUrl(cfn, SOURCE, stack))
          .isInstanceOfSatisfying(
              EvidenceRefused.class,
              e -> assertThat(e.failure()).isEqualTo(EvidenceFailure.TEMPLATE_NOT_VERSIONED));
    }
  }

  /**
   * A target where nothing exists yet, bootstrapped at version 30; records CreateChangeSet. With
   * {@code deployed}, every stack is UPDATE_COMPLETE by an executed change set.
   */
  private static final class CapturingDeployer implements StackDeployer {
    final List<ChangeSetRequest> requests = new ArrayList<>();
    final List<String> bootstrapParametersRead = new ArrayList<>();
    final Map<String, TemplateRead> templates = new java.util.HashMap<>();
    final List<String> templatesRead = new ArrayList<>();
    final List<String> protection = new ArrayList<>();
    final java.util.Set<String> protectedStacks = new java.util.HashSet<>();
    boolean deployed;

    @Override
    public Optional<StackState> describeStack(String stackName) {
      return deployed
          ? Optional.of(
              new StackState(
                  stackName, "UPDATE_COMPLETE", null, protectedStacks.contains(stackName)))
          : Optional.empty();
    }

    @Override
    public Optional<ChangeSetState> describeChangeSet(String stackName, String changeSetName) {
      return deployed
          ? Optional.of(new ChangeSetState("CREATE_COMPLETE", null, "EXECUTE_COMPLETE", List.of()))
          : Optional.empty();
    }

    @Override
    public void updateTerminationProtection(String stackName, boolean enabled) {
      protection.add(stackName + "=" + enabled);
      if (enabled) {
        protectedStacks.add(stackName);
      } else {
        protectedStacks.remove(stackName);
      }
    }

    @Override
    public void createChangeSet(ChangeSetRequest request) {
      requests.add(request);
    }

    @Override
    public void executeChangeSet(String stackName, String changeSetName, String clientToken) {
      throw new AssertionError("not executing");
    }

    @Override
    public void deleteChangeSet(String stackName, String changeSetName) {
      throw new AssertionError("not deleting");
    }

    @Override
    public void deleteStack(String stackName, String clientToken) {
      throw new AssertionError("not deleting");
    }

    @Override
    public void setStackPolicy(String stackName, String policyJson) {}

    @Override
    public String detectDrift(String stackName) {
      throw new AssertionError("no drift");
    }

    @Override
    public DriftState driftStatus(String detectionId) {
      throw new AssertionError("no drift");
    }

    @Override
    public Optional<TemplateRead> readTemplate(
        String account, dev.cairn.core.assembly.TemplateObject template) {
      templatesRead.add(account + " " + template.s3Url());
      return Optional.ofNullable(templates.get(template.s3Url()));
    }

    @Override
    public OptionalInt bootstrapVersion(String ssmParameterName) {
      bootstrapParametersRead.add(ssmParameterName);
      return OptionalInt.of(30);
    }
  }
}
