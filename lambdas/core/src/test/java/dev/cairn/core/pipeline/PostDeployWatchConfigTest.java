package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** post_deploy_watch_minutes: seed 004's 10-minute watch, for the final environment only. */
class PostDeployWatchConfigTest {

  static String config(String prodExtra) {
    com.fasterxml.jackson.databind.node.ObjectNode key = dev.cairn.core.json.Json.object();
    key.put("key_id", dev.cairn.core.verify.TestKeys.ID_A)
        .put("algorithm", "ECDSA_SHA_256")
        .put(
            "public_key",
            dev.cairn.core.signature.PemKeys.toPem(
                dev.cairn.core.verify.TestKeys.EC_A.getPublic()));
    return "{\"installation_id\":\"111111111111:us-east-1\",\"trusted_signer_keys\":["
        + key
        + "],\"allowed_cdk_cli_versions\":[\"2.1148.1\"],\"environments\":["
        + "{\"name\":\"stage\",\"account\":\"222222222222\",\"region\":\"us-east-1\","
        + "\"tests_project\":\"t\",\"bake_minutes\":0,\"alarms_to_watch\":[]},"
        + "{\"name\":\"prod\",\"account\":\"333333333333\",\"region\":\"us-east-1\","
        + "\"tests_project\":\"p\",\"bake_minutes\":10,\"alarms_to_watch\":[\"prod-5xx\"]"
        + prodExtra
        + "}]}";
  }

  @Test
  void finalEnvironment_withoutTheField_watchesTenMinutes_andTheContractPolicySaysSo() {
    EnvironmentChain chain = ControlPlaneConfig.parse(config(""), "aws").chain();
    assertThat(chain.get("prod").postDeployWatchSeconds()).isEqualTo(600);
    assertThat(chain.get("stage").postDeployWatchSeconds()).isZero();
    assertThat(chain.contractPolicy("prod").postDeployWatchSeconds()).isEqualTo(600);
    assertThat(chain.contractPolicy("stage").postDeployWatchSeconds()).isZero();
  }

  @Test
  void configuredMinutes_areUsed_andZeroTurnsTheWatchOff() {
    assertThat(
            ControlPlaneConfig.parse(config(",\"post_deploy_watch_minutes\":3"), "aws")
                .chain()
                .get("prod")
                .postDeployWatchSeconds())
        .isEqualTo(180);
    assertThat(
            ControlPlaneConfig.parse(config(",\"post_deploy_watch_minutes\":0"), "aws")
                .chain()
                .contractPolicy("prod")
                .postDeployWatchSeconds())
        .isZero();
  }
}
