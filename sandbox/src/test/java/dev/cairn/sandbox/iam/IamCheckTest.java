package dev.cairn.sandbox.iam;

import static dev.cairn.sandbox.iam.IamPoliciesTest.CANDIDATE_OBJECT;
import static dev.cairn.sandbox.iam.IamPoliciesTest.DEPLOYER;
import static dev.cairn.sandbox.iam.IamPoliciesTest.METADATA_TABLE;
import static dev.cairn.sandbox.iam.IamPoliciesTest.STAGE_DEPLOY;
import static dev.cairn.sandbox.iam.IamPoliciesTest.SWEEPER;
import static dev.cairn.sandbox.iam.IamPoliciesTest.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.iam.IamCheck.Denial;
import dev.cairn.sandbox.iam.IamCheck.NegativeControl;
import dev.cairn.sandbox.iam.IamCheck.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link IamCheck} on the real assembly and the written negative controls. */
class IamCheckTest {

  private static IamPolicies policies;

  @BeforeAll
  static void load() {
    policies = new IamPolicies(ControlPlaneAssembly.fromClasspath());
  }

  private static IamCheck check() {
    return new IamCheck(policies, IamPoliciesTest.evaluator());
  }

  @Test
  void defaultNegativeControls_areAllDenied_byTheSynthesizedPolicies() {
    List<NegativeControl> controls = NegativeControl.loadDefaults();

    Result result = check().check(List.of(), controls);

    assertThat(result.negativeChecked()).isEqualTo(controls.size());
    assertThat(result.allowedByMistake()).isEmpty();
  }

  /**
   * The record MAC key's negative controls are not vacuous: they name the synthesized key, and the
   * same call by a control-plane writer is allowed.
   */
  @Test
  void recordMacKeyControls_nameTheSynthesizedKey_whichAWriterMayUse() {
    ControlPlaneAssembly assembly = ControlPlaneAssembly.fromClasspath();
    String key = assembly.function("deployer").environment().get("RECORD_MAC_KEY_ARN");
    List<NegativeControl> controls =
        NegativeControl.loadDefaults().stream()
            .filter(c -> c.call().action().endsWith("Mac"))
            .toList();
    assertThat(controls).hasSize(3);
    for (NegativeControl c : controls) {
      assertThat(c.call().resourceArn()).as(c.description()).isEqualTo(key);
    }
    List<RecordedCall> writer = new ArrayList<>();
    for (String action : List.of("kms:GenerateMac", "kms:VerifyMac")) {
      writer.add(
          new RecordedCall(
              DEPLOYER, action, key, java.util.Map.of("kms:MacAlgorithm", "HMAC_SHA_256")));
    }
    assertThat(check().check(writer, controls).denied()).isEmpty();
    assertThat(check().check(writer, controls).allowedByMistake()).isEmpty();
  }

  @Test
  void check_recordedCallsAllowed_reportsNothingDenied() {
    List<RecordedCall> calls =
        List.of(
            new RecordedCall(DEPLOYER, "dynamodb:UpdateItem", METADATA_TABLE),
            new RecordedCall(VERIFIER, "s3:GetObject", CANDIDATE_OBJECT),
            new RecordedCall(DEPLOYER, "sts:AssumeRole", STAGE_DEPLOY));

    Result result = check().check(calls, NegativeControl.loadDefaults());

    assertThat(result.denied()).isEmpty();
    assertThat(result.callsChecked()).isEqualTo(3);
    assertThat(result.passed()).isTrue();
  }

  @Test
  void check_identicalCalls_areEvaluatedOnce() {
    RecordedCall call = new RecordedCall(VERIFIER, "s3:GetObject", CANDIDATE_OBJECT);
    List<RecordedCall> calls = new ArrayList<>(List.of(call, call, call));

    Result result = check().check(calls, List.of());

    assertThat(result.callsChecked()).isEqualTo(1);
  }

  @Test
  void check_recordedCallDenied_isReportedWithItsDecidingStatement() {
    Result result =
        check()
            .check(List.of(new RecordedCall(SWEEPER, "sts:AssumeRole", STAGE_DEPLOY)), List.of());

    assertThat(result.denied())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d)
                  .extracting(Denial::principal, Denial::action, Denial::resource)
                  .containsExactly(SWEEPER, "sts:AssumeRole", STAGE_DEPLOY);
              assertThat(d.statement()).isNotBlank();
            });
    assertThat(result.passed()).isFalse();
  }

  @Test
  void check_negativeControlAllowed_isReportedAsAllowedByMistake() {
    NegativeControl wrong =
        new NegativeControl(
            "deliberately wrong: the deployer may read a candidate object",
            new RecordedCall(DEPLOYER, "s3:GetObject", CANDIDATE_OBJECT));

    Result result = check().check(List.of(), List.of(wrong));

    assertThat(result.allowedByMistake())
        .singleElement()
        .extracting(Denial::principal, Denial::action)
        .containsExactly(DEPLOYER, "s3:GetObject");
  }
}
