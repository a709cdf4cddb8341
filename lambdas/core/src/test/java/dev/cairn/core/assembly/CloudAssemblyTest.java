package dev.cairn.core.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    assertThat(plan.get(0).templateObject())
        .isEqualTo(
            new TemplateObject(
                "us-east-1",
                "cdk-hnb659fds-assets-111111111111-us-east-1",
                "0f4946d74d20a94122ca1bc9c7ca275c870f981b656a6e6cc7b80b1643a6f32f.json"));
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
          "assets":{"type":"cdk:asset-manifest","properties":{"file":"ab.assets.json"}},
          "a":{"type":"aws:cloudformation:stack","environment":"aws://111111111111/us-east-1","dependencies":["b"],"properties":{"templateFile":"a.json","stackTemplateAssetObjectUrl":"s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/a.json"}},
          "b":{"type":"aws:cloudformation:stack","environment":"aws://111111111111/us-east-1","dependencies":["a"],"properties":{"templateFile":"b.json","stackTemplateAssetObjectUrl":"s3://cdk-hnb659fds-assets-111111111111-us-east-1/b.json"}}}}
        """);
    Files.writeString(
        dir.resolve("ab.assets.json"),
        assetManifest(Map.of("a.json", "a.json", "b.json", "b.json")));
    CloudAssembly assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(dir));

    assertThatThrownBy(() -> assembly.planFor("111111111111", "us-east-1"))
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

  @Test
  void read_whenStackHasNoStackTemplateAssetObjectUrl_isRefusedAsLegacySynthesized(
      @TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {"version":"54.0.0","artifacts":{
          "a":{"type":"aws:cloudformation:stack","environment":"aws://111111111111/us-east-1","properties":{"templateFile":"a.json"}}}}
        """);

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET);
              assertThat(e.getMessage())
                  .contains("stack a has no stackTemplateAssetObjectUrl")
                  .contains("legacy");
            });
  }

  @Test
  void read_whenTemplateUrlIsNotTheTemplateAssetsDestination_isRefused(@TempDir Path dir)
      throws IOException {
    // The URL names another asset's object (the function code), which gate 8 hashed as that
    // asset, not as this stack's template.
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {"version":"54.0.0","artifacts":{
          "assets":{"type":"cdk:asset-manifest","properties":{"file":"a.assets.json"}},
          "a":{"type":"aws:cloudformation:stack","environment":"aws://111111111111/us-east-1","properties":{"templateFile":"a.json","stackTemplateAssetObjectUrl":"s3://cdk-hnb659fds-assets-111111111111-us-east-1/code.zip"}}}}
        """);
    Files.writeString(
        dir.resolve("a.assets.json"),
        assetManifest(Map.of("a.json", "a.json", "code", "code.zip")));

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET);
              assertThat(e.getMessage())
                  .contains("s3://cdk-hnb659fds-assets-111111111111-us-east-1/code.zip")
                  .contains("a.json");
            });
  }

  @Test
  void read_whenTemplateIsPublishedOnlyToAnotherEnvironment_isRefused(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {"version":"54.0.0","artifacts":{
          "assets":{"type":"cdk:asset-manifest","properties":{"file":"a.assets.json"}},
          "a":{"type":"aws:cloudformation:stack","environment":"aws://222222222222/us-east-1","properties":{"templateFile":"a.json","stackTemplateAssetObjectUrl":"s3://cdk-hnb659fds-assets-111111111111-us-east-1/a.json"}}}}
        """);
    Files.writeString(dir.resolve("a.assets.json"), assetManifest(Map.of("a.json", "a.json")));

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> assertThat(e.reason()).isEqualTo(AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET));
  }

  @Test
  void read_whenTemplateUrlIsNotAnS3Url_isRefused(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {"version":"54.0.0","artifacts":{
          "a":{"type":"aws:cloudformation:stack","environment":"aws://111111111111/us-east-1","properties":{"templateFile":"a.json","stackTemplateAssetObjectUrl":"https://tools-bucket.s3.amazonaws.com/a.json"}}}}
        """);

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(dir)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET);
              assertThat(e.getMessage()).contains("invalid stackTemplateAssetObjectUrl");
            });
  }

  /**
   * An asset manifest with one file asset per {@code source path -> object key}, each published to
   * the bootstrap bucket of 111111111111/us-east-1 (placeholders as CDK writes them).
   */
  private static String assetManifest(Map<String, String> sourceToKey) {
    StringBuilder files = new StringBuilder();
    for (var e : new java.util.TreeMap<>(sourceToKey).entrySet()) {
      if (files.length() > 0) {
        files.append(',');
      }
      boolean zip = e.getValue().endsWith(".zip");
      files
          .append('"')
          .append(e.getValue())
          .append("\":{\"source\":{\"path\":\"")
          .append(e.getKey())
          .append("\",\"packaging\":\"")
          .append(zip ? "zip" : "file")
          .append(
              "\"},\"destinations\":{\"111111111111-us-east-1\":{\"bucketName\":\"cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}\",\"objectKey\":\"")
          .append(e.getValue())
          .append("\"}}}");
    }
    return "{\"version\":\"54.0.0\",\"files\":{" + files + "}}";
  }

  static final Path REAL_APPS = Path.of("../../examples/real-apps");

  @Test
  void read_aStagesStack_carriesThePropertiesCdkWrites() throws Exception {
    CloudAssembly assembly =
        CloudAssembly.read(
            new LocalDirectoryArtifactSource(
                REAL_APPS.resolve("../refused-apps/aurora-dashboard/cdk.out")));

    StackArtifact stack = assembly.planFor("111111111111", "us-east-1").get(0);

    assertThat(stack.stackName()).isEqualTo("Stage-AuroraStack");
    assertThat(stack.templatePath())
        .isEqualTo("assembly-Stage/StageAuroraStack52A69AB2.template.json");
    assertThat(stack.terminationProtection()).isTrue();
    assertThat(stack.notificationArns())
        .containsExactly("arn:aws:sns:us-east-1:111111111111:cloudformation-events");
    assertThat(stack.tags()).containsEntry("cost-center", "databases");
    assertThat(stack.bootstrapStackVersionSsmParameter())
        .isEqualTo("/cdk-bootstrap/hnb659fds/version");
    assertThat(stack.templateObject().bucket())
        .isEqualTo("cdk-hnb659fds-assets-111111111111-us-east-1");
  }

  @Test
  void planFor_stagesTwoDeep_followsDependencies_thenTheNestedManifestsOrder() throws Exception {
    CloudAssembly assembly =
        CloudAssembly.read(
            new LocalDirectoryArtifactSource(REAL_APPS.resolve("ecs-lambda-stages/cdk.out")));

    assertThat(assembly.planFor("222222222222", "us-east-1"))
        .extracting(StackArtifact::stackName)
        .containsExactly(
            "Prod-EcsLambda-VpcStack",
            "Prod-EcsLambda-LambdaApisStack",
            "Prod-EcsLambda-EcsFargateStack",
            "Prod-EcsLambda-AsyncLambdasStack",
            "Prod-EcsLambda-rdsAuroraStack");
  }

  @Test
  void read_schema34FromCdk2100_plansItsStacks() throws Exception {
    CloudAssembly assembly =
        CloudAssembly.read(
            new LocalDirectoryArtifactSource(REAL_APPS.resolve("sftp-server/cdk.out")));

    assertThat(assembly.schemaVersion()).startsWith("34.");
    assertThat(assembly.planFor("111111111111", "us-east-1"))
        .extracting(StackArtifact::stackName)
        .containsExactly("Stage-IncomingDataStack", "Stage-SftpServerStack");
  }

  @Test
  void read_whenANotificationTopicIsInAnotherAccount_isRefused(@TempDir Path dir)
      throws IOException {
    Path cdkOut = dir.resolve("cdk.out");
    copyTree(REAL_APPS.resolve("../refused-apps/aurora-dashboard/cdk.out"), cdkOut);
    Path manifest = cdkOut.resolve("assembly-Stage/manifest.json");
    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace(
                "arn:aws:sns:us-east-1:111111111111:cloudformation-events",
                "arn:aws:sns:us-east-1:999999999999:collector"));

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(cdkOut)))
        .isInstanceOfSatisfying(
            AssemblyException.class,
            e -> {
              assertThat(e.reason())
                  .isEqualTo(AssemblyException.Reason.NOTIFICATION_TOPIC_OUTSIDE_TARGET);
              assertThat(e.getMessage())
                  .contains("StageAuroraStack52A69AB2", "999999999999:collector");
            });
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
