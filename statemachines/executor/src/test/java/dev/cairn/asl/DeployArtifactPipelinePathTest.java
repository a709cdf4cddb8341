package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.START;
import static dev.cairn.asl.AslTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Path tests of the production definition {@code statemachines/deploy-artifact-pipeline.asl.json},
 * with placeholders filled the way CDK {@code DefinitionSubstitutions} fills them, and Task
 * responses from a Step Functions Local MockConfigFile. Each test asserts the states visited and
 * the final output (or error).
 */
class DeployArtifactPipelinePathTest {
  static final Path DEFINITION = Path.of("..", "deploy-artifact-pipeline.asl.json");
  static final Map<String, String> SUBSTITUTIONS =
      Map.of(
          "ManifestVerifierFunctionArn",
          "arn:aws:lambda:us-east-1:111111111111:function:cairn-manifest-verifier",
          "DeployerFunctionArn",
          "arn:aws:lambda:us-east-1:111111111111:function:cairn-deployer",
          "EventBusName",
          "cairn-pipeline",
          "AlertTopicArn",
          "arn:aws:sns:us-east-1:111111111111:cairn-critical-alerts",
          "MaxRollbackAttempts",
          "2");

  static StateMachine machine;
  static MockConfig mocks;

  @BeforeAll
  static void load() throws IOException {
    String text = DefinitionSubstitutions.apply(Files.readString(DEFINITION), SUBSTITUTIONS);
    machine = StateMachine.parse("DeployArtifactPipeline", text);
    try (var in =
        DeployArtifactPipelinePathTest.class.getResourceAsStream(
            "DeployArtifactPipeline.mock-config.json")) {
      mocks = new MockConfig(Asl.JSON.readTree(in));
    }
  }

  static JsonNode input(String environment, String trigger) {
    return json(
        "{'service':'orders','commit_sha':'4f2a9c1','environment':'"
            + environment
            + "','trigger':'"
            + trigger
            + "','bucket':'cdk-artifacts-candidate','manifest_key':'orders/4f2a9c1/artifact-manifest.json'}");
  }

  private final VirtualClock clock = new VirtualClock(START);

  ExecutionResult run(String testCase, JsonNode input, TaskHandlers handlers) {
    return AslExecutor.builder()
        .mocks(mocks.testCase("DeployArtifactPipeline", testCase))
        .handlers(handlers)
        .random(new Random(1))
        .build()
        .execute(machine, input, testCase, clock);
  }

  ExecutionResult run(String testCase, JsonNode input) {
    return run(testCase, input, new TaskHandlers());
  }

  static List<String> eventsEmitted(ExecutionResult r) {
    return r.history().stream()
        .filter(e -> e.type().equals("TaskScheduled"))
        .filter(e -> e.details().path("resource").asText().equals("putEvents"))
        .map(
            e ->
                Asl.parse(e.details().get("parameters").asText())
                    .at("/Entries/0/DetailType")
                    .asText())
        .toList();
  }

  static final List<String> DEPLOY =
      List.of(
          "CreateChangeSets",
          "InitChangeSetPolls",
          "WaitForChangeSets",
          "PollChangeSets",
          "CountChangeSetPoll",
          "ChangeSetsReady",
          "WaitForChangeSets",
          "PollChangeSets",
          "CountChangeSetPoll",
          "ChangeSetsReady",
          "ExecuteChangeSets",
          "InitStackPolls",
          "StackPollWaitInRange",
          "WaitForStacks",
          "PollStacks",
          "CountStackPoll",
          "StacksSettled",
          "WaitForStacks",
          "PollStacks",
          "CountStackPoll",
          "StacksSettled",
          "WaitForStacks",
          "PollStacks",
          "CountStackPoll",
          "StacksSettled");

  static List<String> concat(List<String> a, List<String> b, List<String> c) {
    return java.util.stream.Stream.of(a, b, c).flatMap(List::stream).toList();
  }

  /** The S3 rule's input names the artifact by its manifest key only. */
  @Test
  void s3RuleInput_takesServiceAndCommitFromTheManifestKey() {
    com.fasterxml.jackson.databind.node.ObjectNode in =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    in.put("trigger", "s3");
    in.put("bucket", "cdk-artifacts-candidate");
    in.put("manifest_key", "orders/" + "a".repeat(40) + "/artifact-manifest.json");
    in.put("environment", "stage");
    ExecutionResult r = run("HappyPath", in);
    assertThat(r.statesEntered())
        .startsWith("ArtifactFromTrigger", "ArtifactFromManifestKey", "VerifyManifest");
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void happyPath_stage_deploysTestsBakesAndPromotes() {
    ExecutionResult r = run("HappyPath", input("stage", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.statesEntered())
        .containsExactlyElementsOf(
            concat(
                List.of(
                    "ArtifactFromTrigger", "VerifyManifest", "AcquireLease", "DriftCheckRequired"),
                DEPLOY,
                List.of(
                    "RunTests",
                    "BakeRequired",
                    "StartBake",
                    "CheckAlarms",
                    "AlarmsQuiet",
                    "BakePeriod",
                    "CheckAlarms",
                    "AlarmsQuiet",
                    "FinalEnvironment",
                    "Promote",
                    "EmitArtifactPromoted",
                    "RecordOutcome",
                    "Succeeded")));
    assertThat(r.output())
        .isEqualTo(
            json(
                "{'outcome':'promoted','service':'orders','commit_sha':'4f2a9c1',"
                    + "'environment':'stage','deployment_id':'dep-0001'}"));
    assertThat(eventsEmitted(r)).containsExactly("ArtifactPromoted");
    // Change set polls after the state machine's first 5 s and the deployer's 10 s, stack polls
    // after the deployer's 3 x 30 s (next_poll_seconds in the mocks), then the 300 s bake
    assertThat(Duration.between(START, clock.instant())).isEqualTo(Duration.ofSeconds(405));
  }

  @Test
  void happyPath_finalEnvironment_checksDriftAndMarksDeployed() {
    ExecutionResult r = run("HappyPathFinal", input("prod", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.statesEntered())
        .startsWith(
            "ArtifactFromTrigger",
            "VerifyManifest",
            "AcquireLease",
            "DriftCheckRequired",
            "DetectDrift")
        .endsWith(
            "FinalEnvironment",
            "PostDeployWatchRequired",
            "StartPostDeployWatch",
            "CheckPostDeployAlarms",
            "PostDeployAlarmsQuiet",
            "PostDeployWatchPeriod",
            "CheckPostDeployAlarms",
            "PostDeployAlarmsQuiet",
            "MarkDeployed",
            "EmitArtifactDeployed",
            "RecordOutcome",
            "Succeeded");
    assertThat(r.output().get("outcome").asText()).isEqualTo("deployed");
    assertThat(eventsEmitted(r)).containsExactly("ArtifactDeployed");
  }

  @Test
  void verifyFails_emitsInvalidArtifactAndEnds() {
    ExecutionResult r = run("VerifyFails", input("stage", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("InvalidArtifact");
    assertThat(r.statesEntered())
        .containsExactly(
            "ArtifactFromTrigger",
            "VerifyManifest",
            "RecordInvalidArtifact",
            "EmitInvalidArtifact",
            "InvalidArtifact");
    assertThat(eventsEmitted(r)).containsExactly("InvalidArtifact");
    assertThat(recordPayload(r, "RecordInvalidArtifact").at("/error/Error").asText())
        .isEqualTo("dev.cairn.core.pipeline.ArtifactRejected");
  }

  @Test
  void duplicateExecution_endsQuietlyAsSuccessWithAReason() {
    ExecutionResult r = run("DuplicateExecution", input("stage", "sweeper"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.statesEntered())
        .containsExactly(
            "ArtifactFromTrigger", "VerifyManifest", "AcquireLease", "DuplicateExecutionIgnored");
    assertThat(r.output().get("outcome").asText()).isEqualTo("duplicate_execution");
    assertThat(r.output().get("reason").asText()).contains("another execution holds the lease");
    assertThat(eventsEmitted(r)).isEmpty();
  }

  @Test
  void approvalsPending_endsQuietlyAwaitingApprovalsWithoutALedgerWrite() {
    ExecutionResult r = run("ApprovalsPending", input("prod", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.statesEntered())
        .containsExactly(
            "ArtifactFromTrigger", "VerifyManifest", "AcquireLease", "AwaitingApprovals");
    assertThat(r.output().get("outcome").asText()).isEqualTo("awaiting_approvals");
    assertThat(r.output().at("/lease_error/Cause").asText()).startsWith("APPROVALS_PENDING");
    assertThat(eventsEmitted(r)).isEmpty();
  }

  @Test
  void deployFails_recordsFailedStatusAndEmitsDeployFailed() {
    ExecutionResult r = run("DeployFails", input("stage", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("DeployFailed");
    assertThat(r.statesEntered())
        .endsWith(
            "StacksSettled",
            "StackDeployFailed",
            "RecordDeployFailure",
            "EmitDeployFailed",
            "DeployFailed")
        .doesNotContain("RunTests");
    JsonNode recorded = recordPayload(r, "RecordDeployFailure");
    assertThat(recorded.get("outcome").asText()).isEqualTo("deploy_failed");
    assertThat(recorded.at("/error/Cause").asText())
        .startsWith("stack deployment failed: orders-app");
    assertThat(eventsEmitted(r)).containsExactly("DeployFailed");
  }

  @Test
  void testsFail_inNonFinalEnvironment_rejectsTheArtifact() {
    ExecutionResult r = run("TestsFail", input("stage", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("TestsFailed");
    assertThat(r.statesEntered())
        .endsWith(
            "RunTests", "RecordTestsFailed", "RollbackRequired", "EmitTestsFailed", "TestsFailed");
    assertThat(recordPayload(r, "RecordTestsFailed").get("final_environment").asBoolean())
        .isFalse();
    assertThat(eventsEmitted(r)).containsExactly("TestsFailed");
  }

  @Test
  void smokeFailsRollbackSucceeds_atTheFirstAttemptWithoutWaiting() {
    ExecutionResult r = run("SmokeFailsRollbackSucceeds", input("prod", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("RolledBack");
    List<String> states = r.statesEntered();
    assertThat(states.subList(states.indexOf("RunTests"), states.size()))
        .containsExactly(
            "RunTests",
            "RecordTestsFailed",
            "RollbackRequired",
            "RollbackTargetKnown",
            "InitRollback",
            "StartRollback",
            "InitRollbackPolls",
            "RollbackPollWaitInRange",
            "WaitForRollback",
            "PollRollback",
            "CountRollbackPoll",
            "RollbackSettled",
            "WaitForRollback",
            "PollRollback",
            "CountRollbackPoll",
            "RollbackSettled",
            "RecordRollbackSucceeded",
            "EmitRollbackSucceeded",
            "RolledBack");
    JsonNode recorded = recordPayload(r, "RecordRollbackSucceeded");
    assertThat(recorded.get("outcome").asText()).isEqualTo("rollback_succeeded");
    assertThat(recorded.get("attempts").asInt()).isEqualTo(1);
    assertThat(recorded.get("last_known_good_commit").asText()).isEqualTo("1a2b3c4");
    assertThat(eventsEmitted(r)).containsExactly("RollbackSucceeded");
    // docs/decisions/2026-12-06-rollback-backoff.md: the first attempt does not wait.
    assertThat(waitSeconds(r, "RollbackBackoff")).isEmpty();
    assertThat(recorded.get("backoff_schedule")).containsExactly(IntNode.valueOf(0));
    // The rollback's polls wait what the deployer answers (StartRollback's 45 s, then 12 s), as
    // the deploy's do, not a fixed 30 s.
    assertThat(waitSeconds(r, "WaitForRollback")).containsExactly(45L, 12L);
  }

  static final List<String> ROLLBACK_SUCCEEDS =
      List.of(
          "RollbackRequired",
          "RollbackTargetKnown",
          "InitRollback",
          "StartRollback",
          "InitRollbackPolls",
          "RollbackPollWaitInRange",
          "WaitForRollback",
          "PollRollback",
          "CountRollbackPoll",
          "RollbackSettled",
          "WaitForRollback",
          "PollRollback",
          "CountRollbackPoll",
          "RollbackSettled",
          "RecordRollbackSucceeded",
          "EmitRollbackSucceeded",
          "RolledBack");

  @Test
  void bakeAlarmFiresMidBake_secondLookFailsTheBake_andRollsBack() {
    ExecutionResult r = run("BakeAlarmFiresMidBake", input("prod", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("RolledBack");
    List<String> states = r.statesEntered();
    assertThat(states.subList(states.indexOf("RunTests"), states.size()))
        .containsExactlyElementsOf(
            concat(
                List.of(
                    "RunTests",
                    "BakeRequired",
                    "StartBake",
                    "CheckAlarms",
                    "AlarmsQuiet",
                    "BakePeriod",
                    "CheckAlarms",
                    "AlarmsQuiet",
                    "AlarmsFired",
                    "RecordBakeFailed"),
                ROLLBACK_SUCCEEDS,
                List.of()));
    JsonNode recorded = recordPayload(r, "RecordBakeFailed");
    assertThat(recorded.get("phase").asText()).isEqualTo("bake");
    assertThat(recorded.get("outcome").asText()).isEqualTo("test_failed");
    assertThat(recorded.at("/error/Error").asText()).isEqualTo("AlarmTriggered");
    assertThat(recorded.at("/error/Cause").asText()).contains("orders-prod-5xx");
    // The loop waits what check_alarms returns: one 60 s wait between the two looks.
    assertThat(waitSeconds(r, "BakePeriod")).containsExactly(60L);
  }

  @Test
  void postDeployWatchBreach_afterSmokeTestsAndBake_rollsBackBeforeMarkDeployed() {
    ExecutionResult r = run("PostDeployWatchBreach", input("prod", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("RolledBack");
    List<String> states = r.statesEntered();
    assertThat(states).doesNotContain("MarkDeployed", "EmitArtifactDeployed");
    assertThat(states.subList(states.indexOf("FinalEnvironment"), states.size()))
        .containsExactlyElementsOf(
            concat(
                List.of(
                    "FinalEnvironment",
                    "PostDeployWatchRequired",
                    "StartPostDeployWatch",
                    "CheckPostDeployAlarms",
                    "PostDeployAlarmsQuiet",
                    "PostDeployWatchPeriod",
                    "CheckPostDeployAlarms",
                    "PostDeployAlarmsQuiet",
                    "PostDeployWatchPeriod",
                    "CheckPostDeployAlarms",
                    "PostDeployAlarmsQuiet",
                    "PostDeployWatchPeriod",
                    "CheckPostDeployAlarms",
                    "PostDeployAlarmsQuiet",
                    "PostDeployWatchPeriod",
                    "CheckPostDeployAlarms",
                    "PostDeployAlarmsQuiet",
                    "PostDeployWatchPeriod",
                    "CheckPostDeployAlarms",
                    "PostDeployAlarmsQuiet",
                    "PostDeployAlarmsFired",
                    "RecordPostDeployWatchFailed"),
                ROLLBACK_SUCCEEDS,
                List.of()));
    JsonNode recorded = recordPayload(r, "RecordPostDeployWatchFailed");
    assertThat(recorded.get("phase").asText()).isEqualTo("post_deploy_watch");
    assertThat(recorded.get("outcome").asText()).isEqualTo("test_failed");
    assertThat(recorded.at("/error/Cause").asText())
        .startsWith("alarms in ALARM during the post-deploy watch")
        .contains("orders-prod-5xx");
    // Five 60 s waits: the breach is seen at minute 5 of the watch.
    assertThat(waitSeconds(r, "PostDeployWatchPeriod")).containsExactly(60L, 60L, 60L, 60L, 60L);
    assertThat(eventsEmitted(r)).containsExactly("RollbackSucceeded");
  }

  @Test
  void rollbackExhausted_afterMaxRollbackAttempts_alertsAndRequiresManualIntervention() {
    ExecutionResult r = run("RollbackExhausted", input("prod", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("RollbackFailed");
    List<String> states = r.statesEntered();
    assertThat(states.subList(states.indexOf("InitRollback"), states.size()))
        .containsExactly(
            "InitRollback",
            "StartRollback",
            "RollbackAttemptFailed",
            "RollbackAttemptsLeft",
            "ScheduleRollbackRetry",
            "RollbackBackoff",
            "StartRollback",
            "RollbackAttemptFailed",
            "RollbackAttemptsLeft",
            "RecordRollbackFailed",
            "EmitRollbackFailed",
            "PublishCriticalAlert",
            "RollbackFailed");
    assertThat(waitSeconds(r, "RollbackBackoff")).containsExactly(60L);
    JsonNode recorded = recordPayload(r, "RecordRollbackFailed");
    // rollback_backoff_schedule: the waits the Wait states took, one per attempt.
    assertThat(recorded.get("backoff_schedule"))
        .containsExactly(IntNode.valueOf(0), IntNode.valueOf(60));
    assertThat(recorded.get("outcome").asText()).isEqualTo("rollback_failed");
    assertThat(recorded.get("attempts").asInt()).isEqualTo(2);
    assertThat(recorded.get("rollback_attempts_exhausted").asBoolean()).isTrue();
    assertThat(recorded.get("manual_intervention_required").asBoolean()).isTrue();
    // The rollback's own failure (the last attempt's), not the smoke tests' that started it.
    assertThat(recorded.at("/error/Error").asText())
        .isEqualTo("dev.cairn.core.pipeline.DeployFailed");
    assertThat(recorded.at("/error/Cause").asText())
        .isEqualTo("rollback to 1a2b3c4 failed: orders-app UPDATE_ROLLBACK_FAILED");
    assertThat(eventsEmitted(r)).containsExactly("RollbackFailed");
    JsonNode alert = scheduledParameters(r, "PublishCriticalAlert");
    assertThat(alert.get("TopicArn").asText())
        .isEqualTo("arn:aws:sns:us-east-1:111111111111:cairn-critical-alerts");
    assertThat(alert.get("Message").asText()).contains("manual intervention required");
  }

  @Test
  void rollbackDeployFails_recordsTheRollbacksOwnReason() {
    ExecutionResult r = run("RollbackDeployFails", input("prod", "s3"));
    assertThat(r.error()).isEqualTo("RollbackFailed");
    assertThat(r.statesEntered()).contains("RollbackDeployFailed").doesNotContain("RolledBack");
    JsonNode recorded = recordPayload(r, "RecordRollbackFailed");
    assertThat(recorded.at("/error/Error").asText()).isEqualTo("RollbackDeployFailed");
    assertThat(recorded.at("/error/Cause").asText())
        .isEqualTo("orders-data: UPDATE_ROLLBACK_FAILED (Rate exceeded)");
  }

  @Test
  void rollbackAttempts_followTheMaxRollbackAttemptsSubstitution() throws IOException {
    Map<String, String> three = new java.util.HashMap<>(SUBSTITUTIONS);
    three.put("MaxRollbackAttempts", "3");
    StateMachine m =
        StateMachine.parse(
            "DeployArtifactPipeline",
            DefinitionSubstitutions.apply(Files.readString(DEFINITION), three));
    ExecutionResult r =
        AslExecutor.builder()
            .mocks(mocks.testCase("DeployArtifactPipeline", "RollbackExhausted"))
            .build()
            .execute(m, input("prod", "s3"), "three", clock);
    assertThat(waitSeconds(r, "RollbackBackoff")).containsExactly(60L, 120L);
    JsonNode recorded = recordPayload(r, "RecordRollbackFailed");
    assertThat(recorded.get("attempts").asInt()).isEqualTo(3);
    assertThat(recorded.get("backoff_schedule"))
        .containsExactly(IntNode.valueOf(0), IntNode.valueOf(60), IntNode.valueOf(120));
  }

  @Test
  void noRollbackTarget_endsAtOnceInRollbackFailed() {
    ExecutionResult r = run("NoRollbackTarget", input("prod", "s3"));
    assertThat(r.error()).isEqualTo("RollbackFailed");
    List<String> states = r.statesEntered();
    assertThat(states.subList(states.indexOf("RollbackRequired"), states.size()))
        .containsExactly(
            "RollbackRequired",
            "RollbackTargetKnown",
            "NoRollbackTarget",
            "RecordRollbackFailed",
            "EmitRollbackFailed",
            "PublishCriticalAlert",
            "RollbackFailed");
    assertThat(recordPayload(r, "RecordRollbackFailed").get("attempts").asInt()).isZero();
    assertThat(recordPayload(r, "RecordRollbackFailed").get("backoff_schedule")).isEmpty();
    assertThat(recordPayload(r, "RecordRollbackFailed").at("/error/Error").asText())
        .isEqualTo("NoRollbackTarget");
  }

  @Test
  void driftDetected_inFinalEnvironment_abortsBeforeDeploying() {
    ExecutionResult r = run("DriftDetected", input("prod", "override"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("DriftDetected");
    assertThat(r.statesEntered())
        .containsExactly(
            "ArtifactFromTrigger",
            "VerifyManifest",
            "AcquireLease",
            "DriftCheckRequired",
            "DetectDrift",
            "RecordDriftDetected",
            "EmitDriftDetected",
            "DriftDetected");
    assertThat(eventsEmitted(r)).containsExactly("DeployFailed");
  }

  @Test
  void phaseTimeout_deployPhaseStopsAfterSixtyMinutesOfPolling() {
    ExecutionResult r = run("PhaseTimeout", input("stage", "s3"));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("DeployFailed");
    assertThat(r.statesEntered())
        .endsWith(
            "StacksSettled",
            "DeployPhaseTimedOut",
            "RecordDeployFailure",
            "EmitDeployFailed",
            "DeployFailed");
    // Polling stops once 59 minutes were waited (118 x 30 s): the next wait could be up to 60 s,
    // and the phase must not run past 60 minutes.
    assertThat(r.statesEntered().stream().filter("PollStacks"::equals).count()).isEqualTo(118);
    assertThat(recordPayload(r, "RecordDeployFailure").at("/error/Error").asText())
        .isEqualTo("States.Timeout");
    // 2 change set polls (5 s + 10 s) + 118 stack polls x 30 s
    assertThat(Duration.between(START, clock.instant())).isEqualTo(Duration.ofSeconds(3555));
  }

  @Test
  void phaseTimeout_testsTaskTimesOutAfter3600Seconds() {
    TaskHandlers slowTests =
        new TaskHandlers()
            .service(
                "arn:aws:states:::codebuild:startBuild.sync",
                q -> {
                  q.clock().advance(Duration.ofMinutes(65));
                  return json("{'Build':{'Id':'b','BuildStatus':'SUCCEEDED'}}");
                });
    ExecutionResult r = run("TestsTimeout", input("stage", "s3"), slowTests);
    assertThat(r.error()).isEqualTo("TestsFailed");
    assertThat(r.history()).extracting(HistoryEvent::type).contains("TaskTimedOut");
    assertThat(recordPayload(r, "RecordTestsFailed").at("/error/Error").asText())
        .isEqualTo("States.Timeout");
  }

  /** The Lambda payload a Task state was scheduled with. */
  static JsonNode recordPayload(ExecutionResult r, String state) {
    return scheduledParameters(r, state).get("Payload");
  }

  static JsonNode scheduledParameters(ExecutionResult r, String state) {
    String current = "";
    for (HistoryEvent e : r.history()) {
      if (e.type().endsWith("StateEntered")) {
        current = e.stateName();
      }
      if (e.type().equals("TaskScheduled") && current.equals(state)) {
        return Asl.parse(e.details().get("parameters").asText());
      }
    }
    throw new AssertionError("state " + state + " was not scheduled");
  }

  static List<Long> waitSeconds(ExecutionResult r, String state) {
    List<Long> out = new java.util.ArrayList<>();
    HistoryEvent entered = null;
    for (HistoryEvent e : r.history()) {
      if (e.type().equals("WaitStateEntered") && e.stateName().equals(state)) {
        entered = e;
      }
      if (e.type().equals("WaitStateExited") && entered != null && e.stateName().equals(state)) {
        out.add(Duration.between(entered.timestamp(), e.timestamp()).getSeconds());
        entered = null;
      }
    }
    return out;
  }
}
