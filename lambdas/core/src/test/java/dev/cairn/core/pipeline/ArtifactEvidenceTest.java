package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactEvidenceTest {

  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);

  @Test
  void toJson_thenFrom_isTheSameEvidence() {
    ArtifactEvidence e =
        new ArtifactEvidence("cdk-artifacts-candidate", A, B, "v1", Map.of("manifest.json", "v7"));

    ArtifactEvidence back = ArtifactEvidence.from(e.toJson());

    assertThat(back).isEqualTo(e);
    assertThat(back.pinned()).isTrue();
  }

  @Test
  void from_absentOrNotAnObject_isEvidenceMissing() {
    assertThatThrownBy(() -> ArtifactEvidence.from(null))
        .isInstanceOfSatisfying(
            EvidenceRefused.class,
            r -> assertThat(r.failure()).isEqualTo(EvidenceFailure.EVIDENCE_MISSING));
    assertThatThrownBy(() -> ArtifactEvidence.from(Json.mapper().getNodeFactory().textNode("x")))
        .isInstanceOf(EvidenceRefused.class)
        .hasMessageStartingWith("EVIDENCE_MISSING");
  }

  @Test
  void from_aDigestThatIsNotSha256_orAnUnsafePath_isEvidenceMissing() {
    ObjectNode bad = new ArtifactEvidence("b", A, B, "v1", Map.of("manifest.json", "v7")).toJson();
    bad.put("artifact_sha256", "not-a-digest");
    assertThatThrownBy(() -> ArtifactEvidence.from(bad))
        .isInstanceOf(EvidenceRefused.class)
        .hasMessageStartingWith("EVIDENCE_MISSING");

    ObjectNode traversal =
        new ArtifactEvidence("b", A, B, "v1", Map.of("manifest.json", "v7")).toJson();
    traversal.with("object_versions").put("../other/manifest.json", "v1");
    assertThatThrownBy(() -> ArtifactEvidence.from(traversal))
        .isInstanceOf(EvidenceRefused.class)
        .hasMessageContaining("invalid path");
  }

  @Test
  void pinnedFiles_withoutAPinnedManifest_areRefused() {
    assertThatThrownBy(() -> new ArtifactEvidence("b", A, B, null, Map.of("manifest.json", "v7")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ArtifactEvidence("b", A, B, null, Map.of()).pinned()).isFalse();
  }
}
