package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The context an artifact was built with is the one every environment checks: a re-bless mid-run
 * does not reject it; a bless that never happened, or was revoked, is refused with its own code,
 * audited, prod unchanged. Every call IAM-checked against the synthesized policies.
 */
class ContextScenariosTest {

  static ObjectNode run(Scenario s, AtomicReference<List<JsonNode>> audit) throws Exception {
    return SandboxRun.run(
        new SandboxRun.Options(BreakGlassAttacksTest.REPO, s, System.out),
        w -> {
          List<JsonNode> entries = new ArrayList<>();
          w.auditLog.entries().forEachRemaining(entries::add);
          audit.set(entries);
        });
  }

  static void assertIamClean(ObjectNode r) {
    assertThat(r.path("iam").path("denied")).as("IAM denials").isEmpty();
    assertThat(r.at("/iam/negative_controls/allowed_by_mistake")).isEmpty();
  }

  @Test
  void reblessMidFlight_theArtifactStillDeploysToProd() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.CONTEXT_REBLESS_MID_FLIGHT, audit);

    assertIamClean(r);
    assertThat(audit.get().toString()).doesNotContain("CONTEXT_");
    assertThat(r.toString()).contains("promoted");
  }

  @Test
  void neverBlessed_isRefusedContextNotBlessed_prodUnchanged() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.CONTEXT_NEVER_BLESSED, audit);

    BreakGlassAttacksTest.assertRefused(r, "CONTEXT_NOT_BLESSED");
    assertThat(r.at("/attack/denied_calls").toString()).contains("s3:PutObject", "cdk-contexts");
    assertThat(audit.get().toString()).contains("CONTEXT_NOT_BLESSED");
  }

  @Test
  void revoked_isRefusedByProdContextBlessRevoked_prodUnchanged() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = run(Scenario.CONTEXT_BLESS_REVOKED, audit);

    BreakGlassAttacksTest.assertRefused(r, "CONTEXT_BLESS_REVOKED");
    assertIamClean(r);
  }
}
