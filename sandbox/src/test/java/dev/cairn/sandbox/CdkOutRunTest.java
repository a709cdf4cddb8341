package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.UserAssembly;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn sandbox run --cdk-out}: a user's own cloud assembly signed, published and promoted
 * through the production state machine and the synthesized control plane.
 */
class CdkOutRunTest {

  static final List<UserAssembly.Environment> ENVIRONMENTS =
      UserAssembly.parseEnvironments("stage=111111111111,prod=222222222222");

  @TempDir Path tmp;

  static ObjectNode run(Path cdkOut, Scenario scenario) throws Exception {
    return SandboxRun.run(
        new SandboxRun.Options(
            SandboxScenariosTest.REPO,
            scenario,
            System.out,
            new SandboxRun.UserApp(cdkOut, "my-service", ENVIRONMENTS)));
  }

  static List<String> deployed(ObjectNode summary, String environment) {
    List<String> out = new ArrayList<>();
    summary
        .path("deployed_stacks")
        .path(environment)
        .forEach(s -> out.add(s.path("stack").asText()));
    return out;
  }

  @Test
  void nestedStages_happy_deploysEachStagesStacksInDependencyOrder_andPromotes() throws Exception {
    Path cdkOut = CdkOutFixtures.nestedStages(tmp);

    ObjectNode r = run(cdkOut, Scenario.HAPPY);

    JsonNode a = r.path("artifacts").get(0);
    assertThat(a.path("service").asText()).isEqualTo("my-service");
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    // The nested manifests list the api stack first; its dependency on data decides the order.
    assertThat(deployed(r, "stage")).containsExactly("hello-stage-data", "hello-stage-api");
    assertThat(deployed(r, "prod")).containsExactly("hello-prod-data", "hello-prod-api");
    // Each TemplateURL is the stack's stackTemplateAssetObjectUrl in its own account's bucket,
    // pinned to the version the deploy role read and hashed.
    JsonNode manifest =
        Json.parse(Files.readAllBytes(cdkOut.resolve("assembly-Prod/manifest.json")));
    String url =
        manifest.at("/artifacts/hello-prod-api/properties/stackTemplateAssetObjectUrl").asText();
    assertThat(r.at("/deployed_stacks/prod/1/template_url").asText())
        .startsWith(
            "https://s3.us-east-1.amazonaws.com/"
                + url.substring("s3://".length())
                + "?versionId=");
    assertThat(r.at("/deployed_stacks/prod/1/parameters").isObject()).isTrue();
    assertThat(r.at("/iam/denied")).isEmpty();
    assertThat(r.at("/iam/calls_checked").asInt()).isPositive();
  }

  @Test
  void stackProperties_terminationProtectionNotificationArnsTags_reachTheDeployedStack()
      throws Exception {
    Path cdkOut = CdkOutFixtures.nestedStages(tmp);
    String topic = "arn:aws:sns:us-east-1:222222222222:hello-prod-stack-events";
    CdkOutFixtures.editJson(
        cdkOut.resolve("assembly-Prod/manifest.json"),
        m -> {
          ObjectNode props = (ObjectNode) m.at("/artifacts/hello-prod-data/properties");
          props.put("terminationProtection", true);
          props.putArray("notificationArns").add(topic);
          props.putObject("tags").put("cost-center", "greetings");
        });
    java.util.concurrent.atomic.AtomicReference<
            software.amazon.awssdk.services.cloudformation.model.Stack>
        deployed = new java.util.concurrent.atomic.AtomicReference<>();

    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(
                SandboxScenariosTest.REPO,
                Scenario.HAPPY,
                System.out,
                new SandboxRun.UserApp(cdkOut, "my-service", ENVIRONMENTS)),
            w ->
                deployed.set(
                    w.cloudFormation
                        .forAccount(SandboxWorld.PROD_ACCOUNT)
                        .describeStacks(x -> x.stackName("hello-prod-data"))
                        .stacks()
                        .get(0)));

    assertThat(r.path("artifacts").get(0).path("status").asText()).isEqualTo("promoted");
    assertThat(deployed.get().enableTerminationProtection()).isTrue();
    assertThat(deployed.get().notificationARNs()).containsExactly(topic);
    assertThat(deployed.get().tags())
        .anySatisfy(
            t -> {
              assertThat(t.key()).isEqualTo("cost-center");
              assertThat(t.value()).isEqualTo("greetings");
            });
    // Set by the deploy role, which the synthesized policy allows on its own stacks only.
    assertThat(r.at("/cloudformation_calls/prod/UpdateTerminationProtection").asInt()).isEqualTo(1);
    assertThat(r.at("/iam/denied")).isEmpty();
    assertThat(r.at("/iam/negative_controls/allowed_by_mistake")).isEmpty();
  }

  @Test
  void aStackOutsideTheEnvironmentsPrefix_isDeniedByTheSynthesizedDeployRolePolicy()
      throws Exception {
    // Not restated in Java: the deploy role's policy (stack/hello-stage-*) decides, after the run.
    // The run is forced onto the example's installation: choosing one (SandboxRun.installationFor)
    // would refuse the assembly first, with STACK_NAME_OUTSIDE_PREFIX (CdkOutRefusalTest).
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("manifest.json"),
        m ->
            ((ObjectNode) m.at("/artifacts/hello-stage-data/properties"))
                .put("stackName", "orders-stage-data"));

    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(
                SandboxScenariosTest.REPO,
                Scenario.HAPPY,
                System.out,
                new SandboxRun.UserApp(cdkOut, "my-service", ENVIRONMENTS)),
            w -> {},
            dev.cairn.sandbox.assembly.ControlPlaneAssembly.fromClasspath(
                dev.cairn.sandbox.assembly.ControlPlaneAssembly.EXAMPLE_INSTALLATION));

    assertThat(r.at("/iam/denied"))
        .anySatisfy(
            d -> {
              assertThat(d.path("principal").asText())
                  .isEqualTo("arn:aws:iam::111111111111:role/cairn-stage-deploy");
              assertThat(d.path("action").asText()).isEqualTo("cloudformation:CreateChangeSet");
              assertThat(d.path("resource").asText()).contains(":stack/orders-stage-data/");
            });
  }

  @Test
  void example_viaCdkOut_isDeployedLikeTheBundledRun() throws Exception {
    ObjectNode r = run(CdkOutFixtures.example(tmp), Scenario.HAPPY);

    assertThat(r.path("artifacts").get(0).path("status").asText()).isEqualTo("promoted");
    assertThat(deployed(r, "stage")).containsExactly("hello-stage-data", "hello-stage-api");
    assertThat(deployed(r, "prod")).containsExactly("hello-prod-data", "hello-prod-api");
    assertThat(r.at("/iam/denied")).isEmpty();
  }

  @Test
  void nestedStages_prodSmokeFails_rollsTheUsersProdStacksBack() throws Exception {
    ObjectNode r = run(CdkOutFixtures.nestedStages(tmp), Scenario.PROD_SMOKE_FAILS);

    JsonNode second = r.path("artifacts").get(1);
    assertThat(second.at("/environment_states/prod/test_status").asText()).isEqualTo("test_failed");
    assertThat(second.at("/environment_states/prod/status").asText())
        .isEqualTo("rollback_succeeded");
    assertThat(r.get("events").toString()).contains("RollbackSucceeded");
    // First release, second release, then the rollback to the first: each stack three times.
    assertThat(deployed(r, "prod"))
        .containsExactly(
            "hello-prod-data",
            "hello-prod-api",
            "hello-prod-data",
            "hello-prod-api",
            "hello-prod-data",
            "hello-prod-api");
    assertThat(r.at("/iam/denied")).isEmpty();
  }

  @Test
  void stageTestsFail_rejectsTheUsersArtifact_andProdIsNeverDeployed() throws Exception {
    ObjectNode r = run(CdkOutFixtures.nestedStages(tmp), Scenario.STAGE_TESTS_FAIL);

    assertThat(r.path("artifacts").get(0).path("status").asText()).isEqualTo("rejected");
    assertThat(deployed(r, "stage")).containsExactly("hello-stage-data", "hello-stage-api");
    assertThat(deployed(r, "prod")).isEmpty();
  }

  @Test
  void aScenarioOfTheExampleOnly_isRefusedWithTheOnesThatPlay() throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);

    assertThatThrownBy(() -> run(cdkOut, Scenario.PROD_DRIFT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prod-drift")
        .hasMessageContaining("prod-smoke-fails");
  }

  @Test
  void environmentsOtherThanTheInstallations_areRefusedBeforeAnythingStarts() throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);

    assertThatThrownBy(
            () ->
                SandboxRun.run(
                    new SandboxRun.Options(
                        SandboxScenariosTest.REPO,
                        Scenario.HAPPY,
                        null,
                        new SandboxRun.UserApp(
                            cdkOut,
                            "my-service",
                            UserAssembly.parseEnvironments(
                                "prod=222222222222,stage=111111111111")))))
        .isInstanceOfSatisfying(
            UserAssemblyRefusedException.class,
            e ->
                assertThat(e.code())
                    .isEqualTo(UserAssemblyRefusedException.Code.ENVIRONMENTS_MISMATCH))
        .hasMessageContaining("stage=111111111111,prod=222222222222");
  }
}
