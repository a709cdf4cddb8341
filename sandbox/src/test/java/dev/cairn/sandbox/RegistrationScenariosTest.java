package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The production state machine waits for the registrar's record when S3's event wins the race, and
 * refuses, with an audit entry, an upload nobody registers. Every call IAM-checked.
 */
class RegistrationScenariosTest {

  @Test
  void registrarLate_verifyManifestWaitsForTheRecord_thenTheArtifactIsPromoted() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = ContextScenariosTest.run(Scenario.REGISTRAR_LATE, audit);

    ContextScenariosTest.assertIamClean(r);
    assertThat(r.toString()).contains("promoted");
    assertThat(audit.get().toString()).doesNotContain("ARTIFACT_DIGEST_UNEXPECTED");
  }

  @Test
  void unregisteredUpload_isRefusedAfterTheWait_withAnAuditEntry_prodUnchanged() throws Exception {
    AtomicReference<List<JsonNode>> audit = new AtomicReference<>();
    ObjectNode r = ContextScenariosTest.run(Scenario.UNREGISTERED_UPLOAD, audit);

    BreakGlassAttacksTest.assertRefused(r, "ARTIFACT_DIGEST_UNEXPECTED");
    ContextScenariosTest.assertIamClean(r);
    JsonNode entry =
        audit.get().stream()
            .filter(e -> e.path("action").asText().equals("InvalidArtifact"))
            .findFirst()
            .orElseThrow();
    assertThat(entry.toString())
        .contains("ARTIFACT_DIGEST_UNEXPECTED", "dev.cairn.core.pipeline.ArtifactNotRegistered");
    // The refusal was recorded, so the execution ends InvalidArtifact, not LedgerWriteFailed.
    assertThat(audit.get().toString()).doesNotContain("LedgerWriteFailed");
    assertThat(r.toString()).contains("InvalidArtifact").doesNotContain("LedgerWriteFailed");
  }
}
