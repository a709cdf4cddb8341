package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.sandbox.assembly.UserAssembly;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code sandbox run --cdk-out} refuses before anything starts: one fixture per defect. */
class CdkOutRefusalTest {

  @TempDir Path tmp;

  static UserAssemblyRefusedException refusal(Path cdkOut) {
    return catchThrowableOfType(
        () ->
            SandboxRun.run(
                new SandboxRun.Options(
                    SandboxScenariosTest.REPO,
                    Scenario.HAPPY,
                    null,
                    new SandboxRun.UserApp(cdkOut, "my-service", CdkOutRunTest.ENVIRONMENTS))),
        UserAssemblyRefusedException.class);
  }

  @Test
  void aStackForAnotherAccount_isRefusedNamingTheStackAndItsEnvironment() throws Exception {
    // Prod's stacks synthesized for another account: environment, template URL and assets agree.
    Path cdkOut = CdkOutFixtures.example(tmp);
    for (String file :
        new String[] {
          "manifest.json", "hello-prod-data.assets.json", "hello-prod-api.assets.json"
        }) {
      Path f = cdkOut.resolve(file);
      Files.writeString(f, Files.readString(f).replace("222222222222", "333333333333"));
    }

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.STACK_OUTSIDE_ENVIRONMENTS);
    assertThat(e.stack()).isEqualTo("hello-prod-data");
    assertThat(e.feature()).isEqualTo("environment aws://333333333333/us-east-1");
  }

  @Test
  void aStackNamedOutsideEveryInstallationsPrefix_isRefusedNamingThePrefixes() throws Exception {
    // The example's prod data stack renamed: neither hello-prod-* nor Prod-*.
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("manifest.json"),
        m ->
            ((ObjectNode) m.at("/artifacts/hello-prod-data/properties"))
                .put("stackName", "orders-prod-data"));

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.STACK_NAME_OUTSIDE_PREFIX);
    assertThat(e.getMessage())
        .contains("{stage=hello-stage, prod=hello-prod}", "{stage=Stage, prod=Prod}");
  }

  @Test
  void aDockerImageAssetBuiltByACommand_isRefusedNamingTheStackAndTheImage() throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("hello-stage-api.assets.json"),
        m -> {
          ObjectNode image = m.putObject("dockerImages").putObject("abc");
          image.put("displayName", "AppImage");
          image.putObject("source").putArray("executable").add("./build-image.sh");
        });

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.DOCKER_IMAGE_ASSET_UNSUPPORTED);
    assertThat(e.stack()).isEqualTo("hello-stage-api");
    assertThat(e.feature()).isEqualTo("Docker image asset AppImage");
  }

  @Test
  void aDockerImageAssetPushedOutsideTheBootstrapRepositories_isRefusedNamingTheRepository()
      throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("hello-stage-api.assets.json"),
        m -> {
          ObjectNode image = m.putObject("dockerImages").putObject("abc");
          image.put("displayName", "AppImage");
          image.putObject("source").put("directory", "asset.abc");
          image
              .putObject("destinations")
              .putObject("111111111111-us-east-1")
              .put("repositoryName", "someone-elses-repository")
              .put("imageTag", "abc");
        });

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.ASSET_DESTINATION_UNKNOWN);
    assertThat(e.feature()).isEqualTo("asset destination someone-elses-repository");
    assertThat(e.getMessage()).contains("cdk-hnb659fds-container-assets-111111111111-");
  }

  @Test
  void aTransformOtherThanSam_isRefusedNamingTheStackAndTheMacro() throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("hello-stage-data.template.json"), t -> t.put("Transform", "AWS::Include"));

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.TEMPLATE_FEATURE_UNSUPPORTED);
    assertThat(e.stack()).isEqualTo("hello-stage-data");
    assertThat(e.feature()).contains("AWS::Include");
    assertThat(e.getMessage()).contains("AWS::Include", "cannot expand");
  }

  @Test
  void aSamTransform_withServerlessResources_isRefusedNamingTheirTypes() throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("hello-stage-data.template.json"),
        t -> {
          t.put("Transform", "AWS::Serverless-2016-10-31");
          ((com.fasterxml.jackson.databind.node.ObjectNode) t.path("Resources"))
              .putObject("App")
              .put("Type", "AWS::Serverless::Application");
        });

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.TEMPLATE_FEATURE_UNSUPPORTED);
    assertThat(e.getMessage()).contains("hello-stage-data", "[AWS::Serverless::Application]");
  }

  @Test
  void anAssetForAnotherBucket_isRefusedNamingTheBucket() throws Exception {
    // The Lambda code asset (not the template: that one the deployer's reader refuses itself).
    Path cdkOut = CdkOutFixtures.example(tmp);
    CdkOutFixtures.editJson(
        cdkOut.resolve("hello-prod-api.assets.json"),
        m ->
            m.path("files")
                .fields()
                .forEachRemaining(
                    f -> {
                      if (f.getValue().at("/source/path").asText().startsWith("asset.")) {
                        f.getValue()
                            .path("destinations")
                            .forEach(
                                d -> ((ObjectNode) d).put("bucketName", "someone-elses-bucket"));
                      }
                    }));

    UserAssemblyRefusedException e = refusal(cdkOut);

    assertThat(e.code()).isEqualTo(Code.ASSET_DESTINATION_UNKNOWN);
    assertThat(e.stack()).isEqualTo("hello-prod-api");
    assertThat(e.feature()).isEqualTo("asset destination someone-elses-bucket");
  }

  @Test
  void aDirectoryWithoutManifest_isRefusedAsUnreadable() throws Exception {
    UserAssemblyRefusedException e = refusal(Files.createDirectories(tmp.resolve("empty")));

    assertThat(e.code()).isEqualTo(Code.ASSEMBLY_UNREADABLE);
    assertThat(e.feature()).isEqualTo("manifest.json");
  }

  @Test
  void environmentsSpec_thatIsNotNameEqualsAccount_isNamedInTheError() {
    IllegalArgumentException e =
        catchThrowableOfType(
            () -> UserAssembly.parseEnvironments("stage=111111111111,prod"),
            IllegalArgumentException.class);

    assertThat(e).hasMessageContaining("\"prod\"");
  }
}
