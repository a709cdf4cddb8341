package dev.cairn.core.override;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.port.OverrideNotifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A trust-root change event is audited and alerted, with what the new value means. */
class TrustRootWatchTest {

  static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  static final String FLAG = "/cairn/break-glass";
  static final String CONFIG = "/cairn/control-plane-config";

  final OverrideUseCaseTest.MemoryAudit audit = new OverrideUseCaseTest.MemoryAudit();
  final List<String> alerts = new ArrayList<>();
  final Map<String, String> parameters = new HashMap<>();

  TrustRootWatch watch() {
    return new TrustRootWatch(
        audit,
        new OverrideNotifier() {
          @Override
          public void event(String detailType, ObjectNode detail) {}

          @Override
          public void alert(String subject, String message) {
            alerts.add(subject + "\n" + message);
          }
        },
        name -> Optional.ofNullable(parameters.get(name)),
        FLAG,
        CONFIG,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** The event SSM puts on the default bus (Systems Manager User Guide, Parameter Store events). */
  static ObjectNode event(String name, String operation) {
    ObjectNode e = Json.object();
    e.put("version", "0");
    e.put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    e.put("detail-type", "Parameter Store Change");
    e.put("source", "aws.ssm");
    e.put("account", "000000000000");
    e.put("time", "2026-12-06T10:00:00Z");
    e.put("region", "us-east-1");
    e.putArray("resources").add("arn:aws:ssm:us-east-1:000000000000:parameter" + name);
    e.putObject("detail")
        .put("operation", operation)
        .put("name", name)
        .put("type", "String")
        .put("description", "");
    return e;
  }

  @Test
  void isParameterChange_onlyForSsmParameterStoreChange() {
    assertThat(TrustRootWatch.isParameterChange(event(FLAG, "Update"))).isTrue();
    assertThat(TrustRootWatch.isParameterChange(event(FLAG, "Update").put("source", "cairn")))
        .isFalse();
    assertThat(TrustRootWatch.isParameterChange(Json.object().put("action", "break_glass")))
        .isFalse();
  }

  @Test
  void changed_flagOpened_auditsTheExpiryAndAlerts() {
    parameters.put(FLAG, BreakGlassFlagState.value(NOW.plusSeconds(3600)));

    ObjectNode out = watch().changed(event(FLAG, "Update"));

    JsonNode entry = audit.entries.get(0);
    assertThat(entry.path("action").asText()).isEqualTo("TrustRootChanged");
    assertThat(entry.at("/details/break_glass_enabled").asText()).isEqualTo("true");
    assertThat(entry.at("/details/break_glass_expires_at").asText())
        .isEqualTo(NOW.plusSeconds(3600).toString());
    assertThat(alerts).singleElement().asString().contains(FLAG, "OPENED");
    assertThat(out.path("audit_sequence").asLong()).isEqualTo(entry.path("sequence").asLong());
  }

  @Test
  void changed_flagSetToTheRetiredPlainTrue_isAuditedAsLegacyAndOff() {
    parameters.put(FLAG, "true");

    watch().changed(event(FLAG, "Update"));

    JsonNode details = audit.entries.get(0).path("details");
    assertThat(details.path("break_glass_enabled").asText()).isEqualTo("false");
    assertThat(details.path("break_glass_legacy_value").asText()).isEqualTo("true");
    assertThat(alerts).singleElement().asString().contains("retired value");
  }

  @Test
  void changed_trustConfiguration_recordsItsHashAndTheKeysItTrusts() {
    parameters.put(
        CONFIG,
        "{\"trusted_signer_keys\":[{\"key_id\":\"kms:alias/ci-2\"}],"
            + "\"operator_keys\":[{\"key_id\":\"ops-alice\"},{\"key_id\":\"ops-bob\"}],"
            + "\"context_signer_keys\":[{\"key_id\":\"kms:alias/cdk-context-signer-2\"}]}");

    watch().changed(event(CONFIG, "Update"));

    JsonNode details = audit.entries.get(0).path("details");
    assertThat(details.path("trusted_signer_keys").asText()).isEqualTo("kms:alias/ci-2");
    assertThat(details.path("operator_keys").asText()).isEqualTo("ops-alice,ops-bob");
    assertThat(details.path("context_signer_keys").asText())
        .isEqualTo("kms:alias/cdk-context-signer-2");
    assertThat(details.path("value_sha256").asText()).hasSize(64);
    assertThat(alerts).singleElement().asString().contains("trust root changed", CONFIG);
  }

  @Test
  void changed_deleted_isAuditedWithoutReadingAValue() {
    parameters.put(FLAG, BreakGlassFlagState.value(NOW.plusSeconds(60)));

    watch().changed(event(FLAG, "Delete"));

    assertThat(audit.entries.get(0).at("/details/break_glass_enabled").asText()).isEqualTo("false");
    assertThat(audit.entries.get(0).at("/details/operation").asText()).isEqualTo("Delete");
  }
}
