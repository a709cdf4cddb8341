package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What every scenario's release evidence must satisfy: each record validates against {@code
 * schema/release-evidence.v1.json}; every environment an artifact was deployed to has a record, and
 * so has every execution that took an environment's lease and ended; a record of a failed execution
 * names its gate, code and blocker class; and {@code cairn evidence verify}'s check passes, unless
 * the run broke the audit chain, in which case it must refuse every record.
 */
final class ReleaseEvidenceAssertions {

  private static final JsonSchema SCHEMA = schema();

  private ReleaseEvidenceAssertions() {}

  static void assertEvidence(
      Scenario s, boolean chainVerified, List<ReleaseEvidenceChecks.Artifact> artifacts) {
    for (ReleaseEvidenceChecks.Artifact a : artifacts) {
      for (ReleaseEvidenceChecks.Checked c : a.records()) {
        assertThat(c.record()).as("%s: %s is JSON", s.wireName(), c.key()).isNotNull();
        assertThat(SCHEMA.validate(c.record()))
            .as("%s: %s against release-evidence.v1", s.wireName(), c.key())
            .isEmpty();
        String outcome = c.record().path("outcome").asText();
        if (!outcome.equals("promoted") && !outcome.equals("deployed")) {
          assertThat(c.record().path("failure").path("blocker_class").asText())
              .as("%s: %s (%s) names its blocker class", s.wireName(), c.key(), outcome)
              .isNotEmpty();
        }
        if (chainVerified) {
          assertThat(c.verdict().problems())
              .as("%s: cairn evidence verify %s", s.wireName(), c.key())
              .isEmpty();
        } else {
          assertThat(c.verdict().valid())
              .as("%s broke the audit chain: %s must be refused", s.wireName(), c.key())
              .isFalse();
        }
      }
      if (a.deployedEnvironments() == null) {
        continue;
      }
      // Every execution that reached an environment and ended, however it ended, has its record:
      // the deployer's recording step, or the finalizer's for one stopped, timed out or dead first.
      if (a.endedExecutions() != null) {
        for (String execution : a.endedExecutions()) {
          assertThat(a.records())
              .as(
                  "%s: %s, execution %s, has a release evidence record",
                  s.wireName(), a.key(), execution)
              .anyMatch(c -> c.record().path("execution_id").asText().equals(execution));
        }
      }
      for (String env : a.deployedEnvironments()) {
        assertThat(a.records())
            .as("%s: %s deployed to %s has a release evidence record", s.wireName(), a.key(), env)
            .anyMatch(c -> c.record().path("environment").asText().equals(env));
      }
    }
  }

  private static JsonSchema schema() {
    try {
      JsonNode schema =
          new ObjectMapper()
              .readTree(
                  SandboxScenariosTest.REPO.resolve("schema/release-evidence.v1.json").toFile());
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
