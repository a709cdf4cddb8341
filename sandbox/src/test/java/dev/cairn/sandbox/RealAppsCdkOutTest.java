package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sandbox run --cdk-out} on each app of {@code examples/real-apps}, on the sandbox's
 * installation for any app (stacks {@code Stage-*} and {@code Prod-*}): every one is promoted
 * through stage and prod, every stack deployed in dependency order, its handlers' IAM calls judged,
 * with no IAM denial. The apps of {@code examples/refused-apps} are refused before anything starts,
 * naming their first stack and the feature, never half-way through with a stack trace: when the
 * sandbox learns that feature, the app moves to the corpus and its row to the first table.
 */
class RealAppsCdkOutTest {

  static final Path CORPUS = SandboxScenariosTest.REPO.resolve("examples/real-apps");

  /** Apps of public examples the sandbox refuses, each pinned below with its code. */
  static final Path REFUSED = SandboxScenariosTest.REPO.resolve("examples/refused-apps");

  static SandboxRun.Options options(String app) {
    return new SandboxRun.Options(
        SandboxScenariosTest.REPO,
        Scenario.HAPPY,
        null,
        new SandboxRun.UserApp(
            CORPUS.resolve(app).resolve("cdk.out"), app, CdkOutRunTest.ENVIRONMENTS));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "global-ddb-cmk            | Stage-global-ddb-cmk               | Prod-global-ddb-cmk",
        "parallel-step-functions   | Stage-ParallelStepFunctionsStack   | Prod-ParallelStepFunctionsStack",
        "codepipeline-build-deploy | Stage-CodepipelineBuildDeployStack | Prod-CodepipelineBuildDeployStack",
        "ecs-lambda-stages         | Stage-EcsLambda-VpcStack Stage-EcsLambda-LambdaApisStack"
            + " Stage-EcsLambda-EcsFargateStack Stage-EcsLambda-AsyncLambdasStack"
            + " Stage-EcsLambda-rdsAuroraStack"
            + " | Prod-EcsLambda-VpcStack Prod-EcsLambda-LambdaApisStack"
            + " Prod-EcsLambda-EcsFargateStack Prod-EcsLambda-AsyncLambdasStack"
            + " Prod-EcsLambda-rdsAuroraStack",
        "sftp-server               | Stage-IncomingDataStack Stage-SftpServerStack"
            + " | Prod-IncomingDataStack Prod-SftpServerStack",
      })
  void corpusApp_isPromoted_everyStackDeployedInDependencyOrder_noIamDenial(
      String app, String stageStacks, String prodStacks) throws Exception {
    ObjectNode r = SandboxRun.run(options(app));

    JsonNode artifact = r.path("artifacts").get(0);
    assertThat(artifact.path("status").asText()).as(app).isEqualTo("promoted");
    assertThat(artifact.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(artifact.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(CdkOutRunTest.deployed(r, "stage")).containsExactlyElementsOf(stacks(stageStacks));
    assertThat(CdkOutRunTest.deployed(r, "prod")).containsExactlyElementsOf(stacks(prodStacks));
    assertThat(r.at("/iam/denied")).as(app + ": " + r.at("/iam/denied")).isEmpty();
    assertThat(r.at("/iam/calls_checked").asInt()).isPositive();
    assertThat(r.at("/iam/negative_controls/checked").asInt()).isPositive();
    assertThat(r.at("/iam/negative_controls/allowed_by_mistake")).isEmpty();
  }

  @Test
  void globalDdbCmk_prodSmokeFails_rollsItsProdStackAndNestedStacksBack() throws Exception {
    SandboxRun.Options happy = options("global-ddb-cmk");
    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(
                happy.repoRoot(), Scenario.PROD_SMOKE_FAILS, null, happy.userApp()));

    JsonNode second = r.path("artifacts").get(1);
    assertThat(second.at("/environment_states/prod/test_status").asText()).isEqualTo("test_failed");
    assertThat(second.at("/environment_states/prod/status").asText())
        .isEqualTo("rollback_succeeded");
    // First release, second release, then the rollback to the first.
    assertThat(CdkOutRunTest.deployed(r, "prod"))
        .containsExactly("Prod-global-ddb-cmk", "Prod-global-ddb-cmk", "Prod-global-ddb-cmk");
    assertThat(r.at("/iam/denied")).as(r.at("/iam/denied").toString()).isEmpty();
  }

  @Test
  void aNestedStacksTemplate_withAnUnsupportedType_isRefusedBeforeAnythingStarts(@TempDir Path tmp)
      throws Exception {
    // The nested template is an asset of the parent: its resources are checked as the parent's.
    Path cdkOut = tmp.resolve("cdk.out");
    Path source = CORPUS.resolve("global-ddb-cmk/cdk.out");
    try (var files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = cdkOut.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    CdkOutFixtures.editJson(
        cdkOut.resolve("assembly-Prod/Prodglobalddbcmkddbstack0A1FBCDB.nested.template.json"),
        t ->
            ((ObjectNode) t.path("Resources"))
                .putObject("Agent")
                .put("Type", "AWS::Bedrock::Agent"));

    UserAssemblyRefusedException e =
        catchThrowableOfType(
            () ->
                SandboxRun.run(
                    new SandboxRun.Options(
                        SandboxScenariosTest.REPO,
                        Scenario.HAPPY,
                        null,
                        new SandboxRun.UserApp(
                            cdkOut, "global-ddb-cmk", CdkOutRunTest.ENVIRONMENTS))),
            UserAssemblyRefusedException.class);

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(Code.RESOURCE_TYPE_UNSUPPORTED);
    assertThat(e.stack()).isEqualTo("Prod-global-ddb-cmk");
    assertThat(e.feature()).isEqualTo("AWS::Bedrock::Agent");
  }

  private static List<String> stacks(String spaceSeparated) {
    return Arrays.asList(spaceSeparated.trim().split("\\s+"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // An AWS::Serverless::Application from the Serverless Application Repository: the SAM
    // transform cannot expand it offline
    // (docs/decisions/2026-12-07-sam-transform-without-serverless-resources.md).
    "aurora-dashboard,  TEMPLATE_FEATURE_UNSUPPORTED,   Stage-AuroraStack,   AWS::Serverless-2016-10-31,"
        + " [AWS::Serverless::Application]",
  })
  void refusedApp_isRefusedNamingItsFirstStackAndTheUnsupportedFeature(
      String app, Code code, String stack, String transform, String types) {
    UserAssemblyRefusedException e =
        catchThrowableOfType(
            () ->
                SandboxRun.run(
                    new SandboxRun.Options(
                        SandboxScenariosTest.REPO,
                        Scenario.HAPPY,
                        null,
                        new SandboxRun.UserApp(
                            REFUSED.resolve(app).resolve("cdk.out"),
                            app,
                            CdkOutRunTest.ENVIRONMENTS))),
            UserAssemblyRefusedException.class);

    assertThat(e).as(app).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.stack()).isEqualTo(stack);
    assertThat(e.getMessage()).contains(stack, transform, types);
  }
}
