package dev.cairn.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.failure.BlockerClass;
import org.junit.jupiter.api.Test;

class GateFailureTest {

  @Test
  void classify_whenVerifierRejects_takesGateAndCodeFromTheCause() {
    GateFailure f =
        GateFailure.classify(
            "verify",
            "dev.cairn.core.pipeline.ArtifactRejected",
            "FILE_INTEGRITY: FILE_MODIFIED: hello-stage-api.template.json differs");

    assertThat(f.gate()).isEqualTo("FILE_INTEGRITY");
    assertThat(f.code()).isEqualTo("FILE_MODIFIED");
    assertThat(f.blockerClass()).isEqualTo(BlockerClass.BUILD_SURFACE);
  }

  @Test
  void classify_whenEvidenceRefused_usesThePhaseAsGate() {
    GateFailure f =
        GateFailure.classify(
            "deploy",
            "dev.cairn.core.pipeline.EvidenceRefused",
            "EVIDENCE_DIGEST_MISMATCH: the bytes differ");

    assertThat(f.gate()).isEqualTo("DEPLOY");
    assertThat(f.code()).isEqualTo("EVIDENCE_DIGEST_MISMATCH");
    assertThat(f.blockerClass()).isEqualTo(BlockerClass.IDENTITY);
  }

  @Test
  void classify_whenNoCode_namesTheErrorAndThePhasesClass() {
    GateFailure tests = GateFailure.classify("tests", "States.TaskFailed", "build FAILED");
    GateFailure bake = GateFailure.classify("bake", "AlarmTriggered", "alarms in ALARM: [x]");
    GateFailure deploy =
        GateFailure.classify("deploy", "dev.cairn.core.pipeline.DeployFailed", "stack: FAILED");

    assertThat(tests.code()).isEqualTo("States.TaskFailed");
    assertThat(tests.blockerClass()).isEqualTo(BlockerClass.TEST);
    assertThat(bake.blockerClass()).isEqualTo(BlockerClass.BAKE);
    assertThat(deploy.code()).isEqualTo("DeployFailed");
    assertThat(deploy.blockerClass()).isEqualTo(BlockerClass.DEPLOY);
  }

  @Test
  void classify_ignoresUpperCaseWordsThatAreNoCode() {
    GateFailure f = GateFailure.classify("deploy", "DeployFailed", "UPDATE_ROLLBACK_COMPLETE");

    assertThat(f.code()).isEqualTo("DeployFailed");
  }
}
