package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Break-glass, trust roots and the override audience, each attack on the synthesized control plane:
 * refused with its stable code, recorded in the audit log, prod unchanged.
 */
class BreakGlassAttacksTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  static ObjectNode run(Scenario s, AtomicReference<List<JsonNode>> audit) throws Exception {
    return SandboxRun.run(
        new SandboxRun.Options(REPO, s, System.out),
        w -> {
          List<JsonNode> entries = new ArrayList<>();
          w.auditLog.entries().forEachRemaining(entries::add);
          audit.set(entries);
        });
  }

  static void assertRefused(ObjectNode summary, String code) {
    JsonNode attack = summary.path("attack");
    assertThat(attack.path("outcome").asText()).as("%s", attack).isEqualTo("refused");
    assertThat(attack.path("code").asText()).isEqualTo(code);
    assertThat(attack.path("prod_changed").asBoolean()).isFalse();
    assertThat(attack.path("stopped_by").asText()).isNotBlank();
  }

  static List<JsonNode> withAction(List<JsonNode> audit, String action) {
    return audit.stream().filter(e -> e.path("action").asText().equals(action)).toList();
  }

  @Test
  void forgedBreakGlass_recordWithoutTheControlPlanesMac_isRefusedBeforeAnyDecision()
      throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.FORGED_BREAK_GLASS, audit);

    // The record the insider forged carries no valid item_mac: every reader refuses it, before
    // the drift gate (which never trusts manual_override_requested: BreakGlassGateTest) sees it.
    assertRefused(r, "RECORD_UNAUTHENTICATED");
    assertThat(r.at("/attack/denied_calls").toString())
        .as("CI may not write the break-glass store")
        .contains("dynamodb:PutItem", "cairn-idempotency");
    assertThat(withAction(audit.get(), "RecordUnauthenticated")).isNotEmpty();
  }

  @Test
  void breakGlassReusedInProd_stageRequestAndSecondUse_areRefused() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.BREAK_GLASS_REUSED_IN_PROD, audit);

    assertRefused(r, "BREAK_GLASS_REUSED");
    List<JsonNode> drift = withAction(audit.get(), "DriftDetected");
    assertThat(drift).anySatisfy(e -> assertThat(e.toString()).contains("BREAK_GLASS_MISMATCH"));
    assertThat(drift).anySatisfy(e -> assertThat(e.toString()).contains("BREAK_GLASS_REUSED"));
  }

  @Test
  void revokedSignerKey_manifestSignedAfterTheTtl_isRefusedAndTheChangeAudited() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.REVOKED_SIGNER_KEY, audit);

    assertRefused(r, "SIGNER_UNTRUSTED");
    assertThat(withAction(audit.get(), "TrustRootChanged"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.at("/details/parameter").asText())
                    .isEqualTo("/cairn/control-plane-config"));
  }

  @Test
  void overrideForOtherInstallation_isRefusedWrongInstallation() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.OVERRIDE_FOR_OTHER_INSTALLATION, audit);

    assertRefused(r, "OVERRIDE_WRONG_INSTALLATION");
    assertThat(withAction(audit.get(), "OverrideRequested"))
        .anySatisfy(
            e ->
                assertThat(e.at("/details/failure").asText())
                    .isEqualTo("OVERRIDE_WRONG_INSTALLATION"));
  }
}
