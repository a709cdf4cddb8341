package dev.cairn.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the code writes validates against schema/artifact-metadata.v1.json and audit-event.v1.json.
 */
class LedgerSchemaTest {

  static JsonSchema schema(String name) throws Exception {
    try (InputStream in = LedgerSchemaTest.class.getResourceAsStream("/schema/" + name)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(Json.parse(in));
    }
  }

  @Test
  void recordsAndEntries_matchTheirSchemas() throws Exception {
    JsonSchema records = schema("artifact-metadata.v1.json");
    JsonSchema entries = schema("audit-event.v1.json");
    ArtifactRecord c = TransitionPlannerTest.created();
    var lease =
        TransitionPlanner.plan(
            c,
            TransitionRequest.of(
                c.key(),
                new Actor(ActorRole.PIPELINE, "p"),
                "LeaseAcquired",
                StateChange.environment(
                    "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            Instant.parse("2026-11-22T10:01:00Z"),
            "cairn:2");
    for (ArtifactRecord r : List.of(c, lease.after())) {
      JsonNode json = Json.mapper().valueToTree(r);
      assertThat(records.validate(json)).as(Json.pretty(json)).isEmpty();
    }
    JsonNode entry = AuditChain.seal(lease.event(), AuditHead.empty("cairn"));
    assertThat(entries.validate(entry)).as(Json.pretty(entry)).isEmpty();
  }
}
