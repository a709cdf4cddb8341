package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.evidence.EvidenceVerifier;
import dev.cairn.core.failure.EvidenceCheckFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deployer's release evidence records on the synthesized control plane: one per environment and
 * execution, schema-valid, verified against the chain and the anchors; a failed execution's record
 * names its gate, code and blocker class; one changed byte is refused.
 */
class ReleaseEvidenceScenariosTest {

  private static List<ReleaseEvidenceChecks.Artifact> run(Scenario s, ObjectNode[] summary)
      throws Exception {
    List<ReleaseEvidenceChecks.Artifact> out = new ArrayList<>();
    summary[0] =
        SandboxRun.run(
            new SandboxRun.Options(SandboxScenariosTest.REPO, s, null),
            w -> out.addAll(ReleaseEvidenceChecks.check(w)));
    return out;
  }

  @Test
  void happy_recordsStageAndProd_andEachVerifies() throws Exception {
    ObjectNode[] summary = new ObjectNode[1];
    List<ReleaseEvidenceChecks.Artifact> artifacts = run(Scenario.HAPPY, summary);

    ReleaseEvidenceAssertions.assertEvidence(Scenario.HAPPY, true, artifacts);
    List<ReleaseEvidenceChecks.Checked> records = artifacts.get(0).records();
    assertThat(records)
        .extracting(
            c ->
                c.record().path("environment").asText() + ":" + c.record().path("outcome").asText())
        .containsExactlyInAnyOrder("stage:promoted", "prod:deployed");
    JsonNode prod =
        records.stream()
            .filter(c -> c.record().path("environment").asText().equals("prod"))
            .findFirst()
            .orElseThrow()
            .record();
    assertThat(prod.at("/artifact/artifact_sha256").asText())
        .isEqualTo(summary[0].at("/artifacts/0/artifact_sha256").asText());
    assertThat(prod.at("/artifact/signing_identity").asText())
        .isEqualTo("kms:alias/cdk-ci-artifact-signer");
    assertThat(prod.at("/deploy/change_sets")).isNotEmpty();
    assertThat(prod.at("/deploy/templates")).isNotEmpty();
    assertThat(prod.at("/tests/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(prod.at("/bake/windows")).isNotEmpty();
    assertThat(prod.at("/failure").isNull()).isTrue();
  }

  @Test
  void happy_oneChangedByte_isRefusedWithEvidenceDigestMismatch() throws Exception {
    ObjectNode[] summary = new ObjectNode[1];
    List<EvidenceVerifier.Result> tampered = new ArrayList<>();
    SandboxRun.run(
        new SandboxRun.Options(SandboxScenariosTest.REPO, Scenario.HAPPY, null),
        w -> {
          for (ReleaseEvidenceChecks.Artifact a : ReleaseEvidenceChecks.check(w)) {
            for (ReleaseEvidenceChecks.Checked c : a.records()) {
              byte[] bytes = c.bytes().clone();
              // The deploy's first change set name, one character later: still valid JSON.
              int at = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf("cairn-");
              bytes[at] = (byte) (bytes[at] + 1);
              tampered.add(ReleaseEvidenceChecks.verify(w, c.key(), bytes));
            }
          }
        });

    assertThat(tampered).hasSize(2);
    assertThat(tampered)
        .allSatisfy(
            r ->
                assertThat(r.problems())
                    .extracting(EvidenceVerifier.Problem::code)
                    .containsExactly(EvidenceCheckFailure.EVIDENCE_DIGEST_MISMATCH));
  }

  @Test
  void stageTestsFail_recordNamesTheTestGate() throws Exception {
    ObjectNode[] summary = new ObjectNode[1];
    List<ReleaseEvidenceChecks.Artifact> artifacts = run(Scenario.STAGE_TESTS_FAIL, summary);

    ReleaseEvidenceAssertions.assertEvidence(Scenario.STAGE_TESTS_FAIL, true, artifacts);
    assertThat(artifacts.get(0).records())
        .anySatisfy(
            c -> {
              assertThat(c.record().path("outcome").asText()).isEqualTo("test_failed");
              assertThat(c.record().at("/failure/blocker_class").asText()).isEqualTo("TEST");
            });
  }

  @Test
  void tampered_recordNamesTheVerifierGate_andItsBlockerClass() throws Exception {
    ObjectNode[] summary = new ObjectNode[1];
    List<ReleaseEvidenceChecks.Artifact> artifacts = run(Scenario.TAMPERED, summary);

    ReleaseEvidenceAssertions.assertEvidence(Scenario.TAMPERED, true, artifacts);
    assertThat(artifacts.stream().flatMap(a -> a.records().stream()))
        .anySatisfy(
            c -> {
              assertThat(c.record().path("outcome").asText()).isEqualTo("invalid_artifact");
              assertThat(c.record().at("/failure/gate").asText()).isEqualTo("FILE_INTEGRITY");
              assertThat(c.record().at("/failure/blocker_class").asText())
                  .isEqualTo("BUILD_SURFACE");
              assertThat(c.record().path("artifact").isNull()).isTrue();
            });
  }

  @Test
  void stuckExecution_theStoppedExecution_hasTheFinalizersRecord_EXECUTION_ABORTED()
      throws Exception {
    ObjectNode[] summary = new ObjectNode[1];
    List<ReleaseEvidenceChecks.Artifact> artifacts = run(Scenario.STUCK_EXECUTION, summary);

    ReleaseEvidenceAssertions.assertEvidence(Scenario.STUCK_EXECUTION, true, artifacts);
    ReleaseEvidenceChecks.Artifact a = artifacts.get(0);
    // The stopped execution and its requeued successor(s) both ended.
    assertThat(a.endedExecutions()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(a.records())
        .anySatisfy(
            c -> {
              assertThat(c.record().path("environment").asText()).isEqualTo("stage");
              assertThat(c.record().path("outcome").asText()).isEqualTo("execution_aborted");
              assertThat(c.record().at("/failure/code").asText()).isEqualTo("EXECUTION_ABORTED");
              assertThat(c.record().at("/failure/blocker_class").asText()).isEqualTo("DEPLOY");
              assertThat(c.record().at("/failure/error").asText())
                  .isEqualTo("StuckPipelineTerminated");
              // Built from DynamoDB only: the digest it verified and the change sets it began
              // were never recorded there, so they are absent and the record says why.
              assertThat(c.record().path("artifact").isNull()).isTrue();
              assertThat(c.record().path("deploy").isNull()).isTrue();
              assertThat(c.record().at("/unrecorded/deploy").asText())
                  .startsWith("not recorded before the execution ended");
              assertThat(c.record().at("/unrecorded/artifact").asText())
                  .contains("not recorded before the execution ended");
              // The lease it took, cited by sequence and hash from the MAC-checked chain.
              assertThat(c.record().path("audit_entries"))
                  .anySatisfy(
                      e -> assertThat(e.path("action").asText()).isEqualTo("LeaseAcquired"));
              assertThat(c.verdict().problems()).isEmpty();
            });
  }
}
