package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The evidence attacks end refused, with prod untouched and the tested artifact released. */
class EvidenceAttacksTest {

  @Test
  void ciSwapsArtifactDuringTests_overwritesRefusedByTheBucketPolicy_releaseIsTheTestedArtifact()
      throws Exception {
    ObjectNode r = SandboxScenariosTest.run(Scenario.CI_SWAPS_ARTIFACT_DURING_TESTS);

    JsonNode attack = r.path("attack");
    assertThat(attack.path("outcome").asText()).isEqualTo("refused");
    assertThat(attack.path("code").asText()).isEqualTo("AccessDenied");
    assertThat(attack.path("prod_changed").asBoolean()).isFalse();
    assertThat(attack.path("denied_calls").toString())
        .contains("s3:PutObject", "hello-prod-api.template.json", "artifact-manifest.json");
    // The pipeline carried on with what it verified: promoted, and prod runs the tested commit.
    JsonNode a = SandboxScenariosTest.subject(r);
    assertThat(a.path("status").asText()).isIn("promoted");
    assertThat(a.at("/environment_states/stage/test_status").asText()).isEqualTo("test_passed");
    assertThat(r.path("iam").path("denied")).as("the control plane's own calls").isEmpty();
  }

  @Test
  void templateCreatesAdminRole_executionRoleRefusedCreateRole_stageFails_prodUnchanged()
      throws Exception {
    ObjectNode r = SandboxScenariosTest.run(Scenario.TEMPLATE_CREATES_ADMIN_ROLE);

    JsonNode attack = r.path("attack");
    assertThat(attack.path("outcome").asText()).isEqualTo("refused");
    assertThat(attack.path("code").asText()).isEqualTo("AccessDenied");
    assertThat(attack.path("prod_changed").asBoolean()).isFalse();
    JsonNode a = SandboxScenariosTest.subject(r);
    assertThat(a.path("status").asText()).isEqualTo("candidate");
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("failed");
    assertThat(a.at("/environment_states/prod/status").asText()).isEqualTo("not_deployed");
    assertThat(r.path("events").toString())
        .contains("DeployFailed")
        .doesNotContain("ArtifactPromoted");
  }

  @Test
  void ciSwapsTemplateAtDestination_deployRefusesTheOtherBytes_prodUnchanged() throws Exception {
    ObjectNode r = SandboxScenariosTest.run(Scenario.CI_SWAPS_TEMPLATE_AT_DESTINATION);

    JsonNode attack = r.path("attack");
    assertThat(attack.path("outcome").asText()).isEqualTo("refused");
    assertThat(attack.path("code").asText()).isEqualTo("TEMPLATE_DESTINATION_MISMATCH");
    assertThat(attack.path("prod_changed").asBoolean()).isFalse();
    JsonNode a = SandboxScenariosTest.subject(r);
    assertThat(a.at("/environment_states/stage/status").asText()).isEqualTo("deployed");
    assertThat(a.at("/environment_states/prod/status").asText()).isNotEqualTo("deployed");
    assertThat(r.path("iam").path("denied")).as("the control plane's own calls").isEmpty();
    assertThat(r.path("iam").at("/negative_controls/allowed_by_mistake")).isEmpty();
    assertThat(r.path("events").toString())
        .doesNotContain("ArtifactPromoted\",\"environment\":\"prod");
  }
}
