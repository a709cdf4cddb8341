package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every scenario on the synthesized control plane: the independent IAM check allows every call the
 * run made and denies every negative control, the synthesized alarms end where one failure should
 * put them, and every artifact that reached an environment has a release evidence record that
 * validates and verifies.
 */
class EveryScenarioTest {

  /** The alarms (by metric) a scenario must leave in ALARM; every other alarm must not be. */
  static final Map<Scenario, List<String>> FIRING =
      Map.ofEntries(
          Map.entry(Scenario.HAPPY, List.of()),
          // The run ends minutes after the control plane is deployed, before the anchorer's first
          // run: a fresh install has no heartbeat yet, which the alarm treats as breaching.
          Map.entry(Scenario.STAGE_TESTS_FAIL, List.of("TestFailureRate", "AnchorHeartbeat")),
          // Seed 004's KPIs, as the anchorer publishes them from the chain: one of the prod
          // deployments failed and was rolled back, so the change failure rate and the rollback
          // rate miss their 5 % and 2 % targets; it was restored within minutes (MTTR met).
          Map.entry(
              Scenario.PROD_SMOKE_FAILS,
              List.of("TestFailureRate", "ChangeFailureRate", "RollbackRate")),
          // Never restored: no MTTR datum, and the two rates miss their targets.
          Map.entry(
              Scenario.ROLLBACK_EXHAUSTED,
              List.of(
                  "TestFailureRate", "RollbackFailureRate", "ChangeFailureRate", "RollbackRate")),
          // A failed bake or post-deploy watch is recorded as a failed test (record_failure), and
          // the prod deployment it rolls back counts as a failed change.
          Map.entry(
              Scenario.BAKE_ALARM_FLAPS,
              List.of("TestFailureRate", "ChangeFailureRate", "RollbackRate")),
          Map.entry(
              Scenario.POST_DEPLOY_WATCH,
              List.of("TestFailureRate", "ChangeFailureRate", "RollbackRate")),
          // Three hours of waiting for approvals stay inside DeployLatency's 4-hour lead time, but
          // miss seed 004's 30-minute median lead time.
          Map.entry(Scenario.APPROVAL_ARRIVES_LATE, List.of("LeadTimeMedian")),
          Map.entry(Scenario.APPROVAL_EXPIRES_WHILE_WAITING, List.of("LeadTimeMedian")),
          Map.entry(Scenario.CI_FORGES_LEDGER_DOWNGRADE, List.of()),
          // Prod never deploys (it waits for approvals) and the run ends before the anchorer's
          // first run: no heartbeat yet.
          Map.entry(Scenario.CI_PREWRITES_LEASE_TO_SKIP_APPROVALS, List.of("AnchorHeartbeat")),
          Map.entry(Scenario.AUDIT_TAIL_REWRITE, List.of()),
          // Prod's deploy is refused before any change set; the run ends before the first anchor.
          Map.entry(Scenario.CI_SWAPS_TEMPLATE_AT_DESTINATION, List.of("AnchorHeartbeat")),
          // An image asset pushed, pinned and found under its tag everywhere: a happy run.
          Map.entry(Scenario.IMAGE_ASSET, List.of()),
          // Prod refuses the image its tag names (an asset hash mismatch, gate 8) before any
          // change set, and the run ends before the first anchor.
          Map.entry(
              Scenario.CI_PUSHES_OTHER_IMAGE_UNDER_SIGNED_TAG,
              List.of("AssetHashMismatch", "AnchorHeartbeat")),
          // The anchorer refuses a chain whose entry was edited: no heartbeat, the alarm fires.
          Map.entry(Scenario.ANCHORER_SILENCED, List.of("AnchorHeartbeat")),
          // A re-bless mid-run changes nothing for the artifact: a happy run.
          Map.entry(Scenario.CONTEXT_REBLESS_MID_FLIGHT, List.of()),
          // Refused before prod deploys, and before the anchorer's first run: no heartbeat yet.
          Map.entry(Scenario.CONTEXT_NEVER_BLESSED, List.of("AnchorHeartbeat")),
          Map.entry(Scenario.CONTEXT_BLESS_REVOKED, List.of("AnchorHeartbeat")),
          // Waiting minutes for the record changes nothing else: a happy run.
          Map.entry(Scenario.REGISTRAR_LATE, List.of()),
          // Refused at stage, before the anchorer's first run: no heartbeat yet.
          Map.entry(Scenario.UNREGISTERED_UPLOAD, List.of("AnchorHeartbeat")));

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void scenario_makesOnlyCallsIamAllows_andDeniesEveryNegativeControl(Scenario s) throws Exception {
    List<ReleaseEvidenceChecks.Artifact> evidence = new ArrayList<>();
    ObjectNode r =
        SandboxRun.run(
            new SandboxRun.Options(SandboxScenariosTest.REPO, s, null),
            w -> evidence.addAll(ReleaseEvidenceChecks.check(w)));

    JsonNode iam = r.path("iam");
    assertThat(iam.has("evaluator"))
        .as("the IAM evaluator must be installed (sandbox/iam-check): %s", iam)
        .isFalse();
    assertThat(iam.path("calls_checked").asInt()).isPositive();
    assertThat(iam.path("denied")).as("IAM denials in %s", s.wireName()).isEmpty();
    assertThat(iam.at("/negative_controls/checked").asInt()).isPositive();
    assertThat(iam.at("/negative_controls/allowed_by_mistake")).isEmpty();

    List<String> expected = FIRING.get(s);
    if (expected != null) {
      List<String> firing = new ArrayList<>();
      for (JsonNode a : r.path("alarms")) {
        if (a.path("state").asText().equals("ALARM")) {
          firing.add(a.path("name").asText());
        }
      }
      assertThat(firing).as("alarms in ALARM after %s", s.wireName()).hasSameSizeAs(expected);
      for (String metric : expected) {
        assertThat(firing).anyMatch(name -> name.contains(metric));
      }
    }
    // Every artifact that reached an environment has its release evidence, checked as `cairn
    // evidence verify` checks it; a run that broke the audit chain must see every record refused.
    ReleaseEvidenceAssertions.assertEvidence(s, r.at("/audit/verified").asBoolean(), evidence);
    if (s == Scenario.HAPPY) {
      assertThat(r.path("triggers")).isNotEmpty();
      for (JsonNode t : r.path("triggers")) {
        assertThat(t.path("rule").asText())
            .as("happy's executions are all started by the synthesized S3 rules")
            .matches("(Release)?ManifestUploadedRule.*");
        assertThat(t.at("/event/source").asText()).isEqualTo("aws.s3");
      }
    }
  }
}
