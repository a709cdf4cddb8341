package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.verify.TestKeys;
import org.junit.jupiter.api.Test;

/** The control-plane config the Lambdas read: its defaults are the spec's. */
class ControlPlaneConfigTest {

  private static final String MINIMAL = minimal();

  /** One environment, one signer key, no optional field; without its closing brace. */
  private static String minimal() {
    ObjectNode root = Json.object();
    root.put("installation_id", "111111111111:us-east-1");
    root.putArray("environments")
        .addObject()
        .put("name", "prod")
        .put("account", "222222222222")
        .put("region", "us-east-1");
    root.putArray("trusted_signer_keys")
        .addObject()
        .put("key_id", TestKeys.ID_A)
        .put("algorithm", "ECDSA_SHA_256")
        .put("public_key", PemKeys.toPem(TestKeys.EC_A.getPublic()));
    root.putArray("operator_keys");
    root.putArray("allowed_cdk_cli_versions").add(TestKeys.CLI_VERSION);
    String json = Json.compact(root);
    return json.substring(0, json.length() - 1);
  }

  @Test
  void parse_withoutMaxRollbackAttempts_defaultsToTheSpecs2() {
    ControlPlaneConfig c = ControlPlaneConfig.parse(MINIMAL + "}", "aws");

    assertThat(c.maxRollbackAttempts()).isEqualTo(2);
  }

  @Test
  void parse_withoutBootstrapQualifier_readsTheCdkDefaultsVersionParameter() {
    ControlPlaneConfig c = ControlPlaneConfig.parse(MINIMAL + "}", "aws");

    assertThat(c.bootstrapQualifier()).isEqualTo("hnb659fds");
    assertThat(ControlPlaneConfig.bootstrapVersionParameter(c.bootstrapQualifier()))
        .isEqualTo("/cdk-bootstrap/hnb659fds/version");
  }

  @Test
  void parse_takesTheConfiguredValues() {
    ControlPlaneConfig c =
        ControlPlaneConfig.parse(
            MINIMAL + ",\"max_rollback_attempts\":3,\"bootstrap_qualifier\":\"acme01\"}", "aws");

    assertThat(c.maxRollbackAttempts()).isEqualTo(3);
    assertThat(c.bootstrapQualifier()).isEqualTo("acme01");
  }

  @Test
  void parse_whenTheQualifierIsNotACdkQualifier_isRefused() {
    assertThatThrownBy(
            () -> ControlPlaneConfig.parse(MINIMAL + ",\"bootstrap_qualifier\":\"../x\"}", "aws"))
        .hasMessageContaining("bootstrap_qualifier");
  }
}
