package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/** Image assets: pushed, pinned by digest, and compared at each destination before its deploy. */
class ImageScenariosTest {

  @Test
  void imageAsset_pushedAsThePublishingRoles_verifiedByDigest_promoted_noDenials()
      throws Exception {
    ObjectNode r = SandboxScenariosTest.run(Scenario.IMAGE_ASSET);

    JsonNode a = SandboxScenariosTest.subject(r);
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("deployed");
    assertThat(r.path("iam").path("denied")).as("every call IAM decided").isEmpty();
    assertThat(r.path("iam").at("/negative_controls/allowed_by_mistake")).isEmpty();
  }

  @TempDir Path tmp;

  @Test
  void cdkOut_withAnImageAsset_pushedToEachEnvironmentsRepository_signedDigestFound_promoted()
      throws Exception {
    Path cdkOut = CdkOutFixtures.example(tmp);
    ImageScenarios.addImageAsset(cdkOut);
    List<String> tagged = new ArrayList<>();

    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(
                SandboxScenariosTest.REPO,
                Scenario.HAPPY,
                null,
                new SandboxRun.UserApp(cdkOut, "my-service", CdkOutRunTest.ENVIRONMENTS)),
            w -> {
              for (String account :
                  List.of(SandboxWorld.STAGE_ACCOUNT, SandboxWorld.PROD_ACCOUNT)) {
                var image =
                    w.registries
                        .get(account)
                        .batchGetImage(
                            b ->
                                b.repositoryName(ImageScenarios.repository(account))
                                    .imageIds(
                                        ImageIdentifier.builder()
                                            .imageTag(ImageScenarios.ASSET)
                                            .build()))
                        .images()
                        .get(0);
                tagged.add(image.imageId().imageDigest());
              }
            });

    JsonNode a = r.path("artifacts").get(0);
    assertThat(a.path("status").asText()).isEqualTo("promoted");
    assertThat(r.at("/iam/denied")).as(r.at("/iam/denied").toString()).isEmpty();
    // One image, the same digest in both registries: the one the signed manifest pins.
    assertThat(tagged).hasSize(2).containsOnly(tagged.get(0));
    assertThat(a.at("/assets/" + ImageScenarios.ASSET + "/ecr_uri").asText())
        .endsWith(":" + ImageScenarios.ASSET + "@" + tagged.get(0));
  }

  @Test
  void ciPushesOtherImageUnderSignedTag_prodRefusesTheDigest_stageKeepsItsImage_prodUnchanged()
      throws Exception {
    ObjectNode r = SandboxScenariosTest.run(Scenario.CI_PUSHES_OTHER_IMAGE_UNDER_SIGNED_TAG);

    JsonNode attack = r.path("attack");
    assertThat(attack.path("outcome").asText()).isEqualTo("refused");
    assertThat(attack.path("code").asText()).isEqualTo("ASSET_IMAGE_DIGEST_MISMATCH");
    assertThat(attack.path("prod_changed").asBoolean()).isFalse();
    assertThat(attack.path("denied_calls").toString())
        .contains("ecr:BatchDeleteImage", "cdk-hnb659fds-container-assets-222222222222");
    JsonNode a = SandboxScenariosTest.subject(r);
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/status").asText()).isNotEqualTo("deployed");
    assertThat(r.path("iam").path("denied")).as("the control plane's own calls").isEmpty();
    // One promotion (stage's), then prod's InvalidArtifact.
    assertThat(r.path("events").toString()).isEqualTo("[\"ArtifactPromoted\",\"InvalidArtifact\"]");
  }
}
