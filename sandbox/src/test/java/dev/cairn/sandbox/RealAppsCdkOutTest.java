package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.sandbox.assembly.UserAssemblyRefusedException;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException.Code;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sandbox run --cdk-out} on each app of {@code examples/real-apps}. Today every one of them
 * declares resource types the sandbox's CloudFormation cannot deploy with their handlers' IAM calls
 * judged (EC2, RDS, ECS, nested stacks, custom resources, ...) or a macro: each is refused before
 * anything starts, naming its first stack and the types, never half-way through with a stack trace.
 * When the sandbox learns those types, a row here turns into a deploy.
 */
class RealAppsCdkOutTest {

  static final Path CORPUS = SandboxScenariosTest.REPO.resolve("examples/real-apps");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "aurora-dashboard,          TEMPLATE_FEATURE_UNSUPPORTED, Stage-AuroraStack,                  AWS::Serverless-2016-10-31",
    "codepipeline-build-deploy, RESOURCE_TYPE_UNSUPPORTED,    Stage-CodepipelineBuildDeployStack, AWS::EC2::VPC",
    "ecs-lambda-stages,         RESOURCE_TYPE_UNSUPPORTED,    Stage-EcsLambda-VpcStack,           AWS::EC2::VPC",
    "global-ddb-cmk,            RESOURCE_TYPE_UNSUPPORTED,    Stage-global-ddb-cmk,               AWS::CloudFormation::Stack",
    "parallel-step-functions,   RESOURCE_TYPE_UNSUPPORTED,    Stage-ParallelStepFunctionsStack,   AWS::CloudFormation::Stack",
    "sftp-server,               RESOURCE_TYPE_UNSUPPORTED,    Stage-IncomingDataStack,            AWS::S3::Bucket",
  })
  void corpusApp_isRefusedNamingItsFirstStackAndTheUnsupportedFeature(
      String app, Code code, String stack, String type) {
    UserAssemblyRefusedException e =
        catchThrowableOfType(
            () ->
                SandboxRun.run(
                    new SandboxRun.Options(
                        SandboxScenariosTest.REPO,
                        Scenario.HAPPY,
                        null,
                        new SandboxRun.UserApp(
                            CORPUS.resolve(app).resolve("cdk.out"),
                            app,
                            CdkOutRunTest.ENVIRONMENTS))),
            UserAssemblyRefusedException.class);

    assertThat(e).as(app).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.stack()).isEqualTo(stack);
    assertThat(e.feature()).contains(type);
    assertThat(e.getMessage()).contains(stack, type);
  }
}
