package dev.cairn.lambda.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.Intrinsics;
import dev.cairn.asl.JsonPaths;
import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.CaughtError;
import dev.cairn.core.pipeline.DeployerCommand;
import dev.cairn.core.pipeline.DeployerCommand.AcquireLease;
import dev.cairn.core.pipeline.DeployerCommand.CheckAlarms;
import dev.cairn.core.pipeline.DeployerCommand.CreateChangeSets;
import dev.cairn.core.pipeline.DeployerCommand.DetectDrift;
import dev.cairn.core.pipeline.DeployerCommand.ExecuteChangeSets;
import dev.cairn.core.pipeline.DeployerCommand.MarkDeployed;
import dev.cairn.core.pipeline.DeployerCommand.PollChangeSets;
import dev.cairn.core.pipeline.DeployerCommand.PollStacks;
import dev.cairn.core.pipeline.DeployerCommand.Promote;
import dev.cairn.core.pipeline.DeployerCommand.RecordFailure;
import dev.cairn.core.pipeline.DeployerCommand.RecordOutcome;
import dev.cairn.core.pipeline.DeployerCommand.RecordRollback;
import dev.cairn.core.pipeline.DeployerCommand.RollbackPoll;
import dev.cairn.core.pipeline.DeployerCommand.RollbackStart;
import dev.cairn.core.pipeline.DeployerResult;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.EvidenceRefused;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployer's JSON contract, from the production definition itself: every deployer Task's {@code
 * Payload} template, resolved on an execution state as the pipeline builds it, reads into its
 * action's command with typed values; a field the action does not take, or one it needs missing, is
 * refused with the stable error the Catch records; and each result writes exactly the JSON the
 * Task's {@code ResultSelector} reads.
 */
class DeployerJsonTest {

  private static final Path DEFINITION =
      Path.of("../../statemachines/deploy-artifact-pipeline.asl.json");

  private static final String COMMIT = "4f2a9c1b" + "0".repeat(32);
  private static final String KNOWN_GOOD = "1a2b3c4d" + "0".repeat(32);
  private static final String EXECUTION =
      "arn:aws:states:us-east-1:111111111111:execution:DeployArtifactPipeline:orders-prod-1";
  private static final String DEPLOYMENT =
      "deploy:cdk-artifacts-candidate:" + COMMIT + ":prod:orders-prod-1";
  private static final String ROLLBACK_DEPLOYMENT =
      "rollback:cdk-artifacts-release:" + KNOWN_GOOD + ":prod:orders-prod-1-rb1";

  /**
   * Fields an action may go without: those the definition sends from some states of the action and
   * not from others, and what the verifier vouched for, which {@code acquire_lease} then treats as
   * not vouched for.
   */
  private static final Set<String> MAY_BE_ABSENT =
      Set.of(
          "final_environment",
          "rollback_attempts_exhausted",
          "manual_intervention_required",
          "artifact_sha256",
          "asset_verification_passed");

  // --- the execution state the templates are resolved on --------------------------------------

  /**
   * The state as the pipeline has built it by the time each deployer Task runs (the fields its
   * earlier states' ResultPaths wrote), with {@code rollback} at its first attempt.
   */
  private static ObjectNode state(String stateName) {
    ObjectNode s =
        (ObjectNode)
            json(
                "{'service':'orders','commit_sha':'"
                    + COMMIT
                    + "','environment':'prod','trigger':'s3','bucket':'cdk-artifacts-candidate',"
                    + "'manifest_key':'orders/"
                    + COMMIT
                    + "/artifact-manifest.json',"
                    + "'verification':{'artifact_sha256':'"
                    + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                    + "','report_key':'orders/"
                    + COMMIT
                    + "/cairn-evidence/verification-report-prod-0123456789abcdef.json',"
                    + "'asset_verification_passed':true,'commit_time':'2026-11-22T08:30:00Z',"
                    + "'evidence':{'bucket':'cdk-artifacts-candidate','manifest_sha256':"
                    + "'60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752',"
                    + "'artifact_sha256':"
                    + "'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',"
                    + "'manifest_version_id':'3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',"
                    + "'object_versions':{'manifest.json':'wxyz1234wxyz1234wxyz1234wxyz1234'}}},"
                    + "'lease':{'lease_id':'"
                    + EXECUTION
                    + "','last_known_good_commit':'"
                    + KNOWN_GOOD
                    + "','policy':{'drift_check':true,'tests_project':'orders-prod-smoke-tests',"
                    + "'bake_seconds':600,'post_deploy_watch_seconds':600,"
                    + "'alarm_names':['orders-prod-5xx','orders-prod-latency'],"
                    + "'final_environment':true,'next_environment':null,"
                    + "'deploy_role_arn':'arn:aws:iam::333333333333:role/cairn-deploy'}},"
                    + "'deploy':{'deployment_id':'"
                    + DEPLOYMENT
                    + "'},"
                    + "'tests':{'Build':{'Id':'orders-tests:8d1e','BuildStatus':'SUCCEEDED'}},"
                    + "'bake':{'started_at':'2026-11-22T09:00:00Z','seconds':600},"
                    + "'watch':{'started_at':'2026-11-22T09:20:00Z','seconds':600},"
                    + "'outcome':{'outcome':'promoted'},"
                    + "'rollback':{'attempt':1,'max_attempts':2,'delay_seconds':60,"
                    + "'next_delay_seconds':120,'waited':'0',"
                    + "'failure':{'Error':'RollbackDeployFailed',"
                    + "'Cause':'orders-data: UPDATE_ROLLBACK_FAILED (Rate exceeded)'}},"
                    + "'rollback_deploy':{'deployment_id':'"
                    + ROLLBACK_DEPLOYMENT
                    + "'},"
                    + "'error':{'Error':'States.TaskFailed','Cause':'smoke tests failed'}}");
    if (stateName.equals("RecordRollbackSucceeded")) {
      // The attempt that succeeded is counted on top of $.rollback.attempt (the failures before
      // it), after waiting before it.
      ((ObjectNode) s.get("rollback")).put("waited", "0,60");
    }
    return s;
  }

  private static final JsonNode CONTEXT =
      json(
          "{'Execution':{'Id':'"
              + EXECUTION
              + "','Name':'orders-prod-1','StartTime':'2026-11-22T08:45:00.123Z'}}");

  // --- what each action's command must carry --------------------------------------------------

  private static final Map<String, Consumer<DeployerCommand>> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put(
        "acquire_lease",
        c -> {
          AcquireLease a = (AcquireLease) c;
          assertThat(a.trigger()).isEqualTo(DeployerCommand.Trigger.s3);
          assertThat(a.executionName()).isEqualTo("orders-prod-1");
          assertThat(a.executionStartedAt()).isEqualTo(Instant.parse("2026-11-22T08:45:00.123Z"));
          assertThat(a.artifactSha256()).startsWith("9f86d081");
          assertThat(a.assetVerificationPassed()).isTrue();
        });
    EXPECTED.put(
        "detect_drift",
        c ->
            assertThat(((DetectDrift) c).deployRoleArn())
                .isEqualTo("arn:aws:iam::333333333333:role/cairn-deploy"));
    EXPECTED.put(
        "create_change_sets",
        c -> {
          CreateChangeSets a = (CreateChangeSets) c;
          assertThat(a.bucket()).isEqualTo("cdk-artifacts-candidate");
          assertThat(a.manifestKey()).endsWith("/artifact-manifest.json");
          assertThat(a.evidence().manifestVersionId())
              .isEqualTo("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
        });
    EXPECTED.put(
        "poll_change_sets",
        c -> {
          PollChangeSets a = (PollChangeSets) c;
          assertThat(a.deploymentId()).isEqualTo(DeploymentId.parse(DEPLOYMENT));
          assertThat(a.evidence().objectVersions()).containsKey("manifest.json");
        });
    EXPECTED.put(
        "execute_change_sets",
        c ->
            assertThat(((ExecuteChangeSets) c).deploymentId())
                .isEqualTo(DeploymentId.parse(DEPLOYMENT)));
    EXPECTED.put(
        "poll_stacks",
        c -> {
          PollStacks a = (PollStacks) c;
          assertThat(a.deploymentId().kind()).isEqualTo(DeploymentId.Kind.deploy);
          assertThat(a.commitTime()).isEqualTo(Instant.parse("2026-11-22T08:30:00Z"));
        });
    EXPECTED.put(
        "check_alarms",
        c -> {
          CheckAlarms a = (CheckAlarms) c;
          assertThat(a.alarmNames()).containsExactly("orders-prod-5xx", "orders-prod-latency");
          assertThat(a.windowSeconds()).isEqualTo(600);
          assertThat(a.since())
              .isIn(Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:20:00Z"));
        });
    EXPECTED.put(
        "promote",
        c -> {
          Promote a = (Promote) c;
          assertThat(a.nextEnvironment()).isNull();
          assertThat(a.deploymentId()).isEqualTo(DeploymentId.parse(DEPLOYMENT));
          assertThat(a.evidence().bucket()).isEqualTo("cdk-artifacts-candidate");
        });
    EXPECTED.put(
        "mark_deployed",
        c ->
            assertThat(((MarkDeployed) c).deploymentId())
                .isEqualTo(DeploymentId.parse(DEPLOYMENT)));
    EXPECTED.put(
        "record_outcome",
        c -> {
          RecordOutcome a = (RecordOutcome) c;
          assertThat(a.outcome()).isEqualTo(DeployerCommand.SuccessOutcome.promoted);
          assertThat(a.executionState().error())
              .isEqualTo(new CaughtError("States.TaskFailed", "smoke tests failed"));
          assertThat(json(a.executionState().json()).path("lease").path("lease_id").asText())
              .isEqualTo(EXECUTION);
        });
    EXPECTED.put(
        "record_failure",
        c -> {
          RecordFailure a = (RecordFailure) c;
          assertThat(a.error())
              .isEqualTo(new CaughtError("States.TaskFailed", "smoke tests failed"));
          assertThat(a.executionState().json()).contains("\"verification\"");
        });
    EXPECTED.put(
        "rollback_start",
        c -> {
          RollbackStart a = (RollbackStart) c;
          assertThat(a.lastKnownGoodCommit()).isEqualTo(KNOWN_GOOD);
          assertThat(a.attempt()).isEqualTo(2);
        });
    EXPECTED.put(
        "rollback_poll",
        c ->
            assertThat(((RollbackPoll) c).deploymentId())
                .isEqualTo(DeploymentId.parse(ROLLBACK_DEPLOYMENT)));
    EXPECTED.put(
        "record_rollback",
        c -> {
          RecordRollback a = (RecordRollback) c;
          assertThat(a.backoffSchedule()).hasSize(a.attempts());
          assertThat(a.lastKnownGoodCommit()).isEqualTo(KNOWN_GOOD);
          boolean failed = a.outcome() == DeployerCommand.RollbackOutcome.rollback_failed;
          // A failed loop carries its last attempt's failure; a successful one the failure that
          // started the rollback.
          assertThat(a.error().error())
              .isEqualTo(failed ? "RollbackDeployFailed" : "States.TaskFailed");
          assertThat(a.attemptsExhausted()).isEqualTo(failed);
          assertThat(a.manualInterventionRequired()).isEqualTo(failed);
        });
  }

  // --- the definition's deployer Tasks --------------------------------------------------------

  /** Every Task of the production definition that invokes the deployer, by state name. */
  static Stream<String> deployerTasks() throws IOException {
    return tasks().keySet().stream();
  }

  private static Map<String, JsonNode> tasks() throws IOException {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    collect(Json.parse(Files.readString(DEFINITION)).path("States"), out);
    return out;
  }

  private static void collect(JsonNode states, Map<String, JsonNode> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue().path("Parameters");
      if (p.path("FunctionName").asText().equals("${DeployerFunctionArn}")) {
        out.put(e.getKey(), e.getValue());
      }
      e.getValue().path("Branches").forEach(b -> collect(b.path("States"), out));
      collect(e.getValue().path("ItemProcessor").path("States"), out);
    }
  }

  /** The payload Step Functions sends: the state's template, resolved on the state. */
  private static ObjectNode payload(String stateName) throws IOException {
    JsonNode template = tasks().get(stateName).path("Parameters").path("Payload");
    ObjectNode state = state(stateName);
    Intrinsics intrinsics = new Intrinsics(new Random(1));
    ObjectNode out = Json.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getKey().endsWith(".$")) {
        out.set(f.getKey(), f.getValue());
        continue;
      }
      String key = f.getKey().substring(0, f.getKey().length() - 2);
      String expr = f.getValue().asText();
      out.set(
          key,
          Intrinsics.isIntrinsic(expr)
              ? intrinsics.evaluate(expr, state, CONTEXT)
              : JsonPaths.read(expr, state, CONTEXT).orElseThrow());
    }
    return out;
  }

  @Test
  void theDefinitionInvokesEveryActionTheDeployerReads() throws IOException {
    Set<String> invoked = new java.util.TreeSet<>();
    for (String state : tasks().keySet()) {
      invoked.add(payload(state).path("action").asText());
    }
    assertThat(invoked).isEqualTo(DeployerJson.actions()).isEqualTo(EXPECTED.keySet());
  }

  @ParameterizedTest
  @MethodSource("deployerTasks")
  void readsTheDefinitionsPayload_intoItsActionsCommand(String stateName) throws IOException {
    ObjectNode payload = payload(stateName);

    DeployerCommand command = DeployerJson.read(payload);

    assertThat(command.request().service()).isEqualTo("orders");
    assertThat(command.request().commitSha()).isEqualTo(COMMIT);
    assertThat(command.request().environment()).isEqualTo("prod");
    assertThat(command.request().executionId()).isEqualTo(EXECUTION);
    EXPECTED.get(payload.path("action").asText()).accept(command);
  }

  @ParameterizedTest
  @MethodSource("deployerTasks")
  void refusesAFieldItsActionDoesNotTake(String stateName) throws IOException {
    ObjectNode payload = payload(stateName);
    payload.put("approved_by", "someone");

    assertThatThrownBy(() -> DeployerJson.read(payload))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("action " + payload.path("action").asText() + " does not take \"approved_by\"");
  }

  @ParameterizedTest
  @MethodSource("deployerTasks")
  void refusesThePayloadWithoutAFieldItsActionNeeds(String stateName) throws IOException {
    List<String> fields = new ArrayList<>();
    payload(stateName).fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      ObjectNode payload = payload(stateName);
      payload.remove(field);
      String action = payload(stateName).path("action").asText();
      if (MAY_BE_ABSENT.contains(field)) {
        assertThat(DeployerJson.read(payload)).isNotNull();
      } else if (field.equals("evidence")) {
        assertThatThrownBy(() -> DeployerJson.read(payload))
            .isInstanceOfSatisfying(
                EvidenceRefused.class,
                e -> assertThat(e.failure()).isEqualTo(EvidenceFailure.EVIDENCE_MISSING));
      } else {
        assertThatThrownBy(() -> DeployerJson.read(payload))
            .as("%s without %s", stateName, field)
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .message()
            .satisfiesAnyOf(
                m -> assertThat(m).isEqualTo("action " + action + " needs \"" + field + "\""),
                m -> assertThat(m).isEqualTo("the payload has no action"),
                m -> assertThat(m).contains(field.replace("_id", "")).contains("missing"));
      }
    }
  }

  @Test
  void refusesAValueOutsideTheContractsClosedSet() throws IOException {
    ObjectNode payload = payload("CheckAlarms");
    payload.put("phase", "soak");

    assertThatThrownBy(() -> DeployerJson.read(payload))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("action check_alarms: \"phase\" is not one of the contract's values: soak");
  }

  @Test
  void refusesAnUnknownAction() {
    ObjectNode payload = (ObjectNode) json("{'action':'deploy_anything'}");

    assertThatThrownBy(() -> DeployerJson.read(payload))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown deployer action \"deploy_anything\"");
  }

  // --- results: the JSON each Task's ResultSelector reads -------------------------------------

  private static final DeploymentId ID = DeploymentId.parse(DEPLOYMENT);

  /** One result per action, and the exact JSON the deployer answers with. */
  static Stream<org.junit.jupiter.params.provider.Arguments> results() {
    return Stream.of(
        args(
            "AcquireLease",
            new DeployerResult.LeaseAcquired(
                EXECUTION,
                null,
                new DeployerResult.Policy(
                    true,
                    "orders-prod-smoke-tests",
                    600,
                    600,
                    List.of("orders-prod-5xx"),
                    true,
                    null,
                    "arn:aws:iam::333333333333:role/cairn-deploy")),
            "{'lease_id':'"
                + EXECUTION
                + "','last_known_good_commit':null,'policy':{'drift_check':true,"
                + "'tests_project':'orders-prod-smoke-tests','bake_seconds':600,"
                + "'post_deploy_watch_seconds':600,'alarm_names':['orders-prod-5xx'],"
                + "'final_environment':true,'next_environment':null,"
                + "'deploy_role_arn':'arn:aws:iam::333333333333:role/cairn-deploy'}}"),
        args(
            "DetectDrift",
            new DeployerResult.DriftChecked(List.of("orders-app"), null),
            "{'checked_stacks':['orders-app'],'override_id':null}"),
        args(
            "CreateChangeSets",
            new DeployerResult.ChangeSetsCreated(ID, List.of("orders-data", "orders-app")),
            "{'deployment_id':'"
                + DEPLOYMENT
                + "','change_sets':[{'stack_name':'orders-data','change_set_name':'"
                + ID.changeSetName()
                + "'},{'stack_name':'orders-app','change_set_name':'"
                + ID.changeSetName()
                + "'}]}"),
        args(
            "PollChangeSets",
            new DeployerResult.ChangeSetsPolled(DeployerResult.ChangeSetStatus.PENDING, null, 2),
            "{'status':'PENDING','reason':null,'next_poll_seconds':2}"),
        args(
            "ExecuteChangeSets",
            new DeployerResult.ChangeSetsExecuted(List.of("orders-app"), 30),
            "{'stacks':['orders-app'],'next_poll_seconds':30}"),
        args(
            "PollStacks",
            new DeployerResult.StacksPolled(
                DeployerResult.RolloutStatus.FAILED, "orders-app: UPDATE_ROLLBACK_COMPLETE", 2),
            "{'status':'FAILED','reason':'orders-app: UPDATE_ROLLBACK_COMPLETE',"
                + "'next_poll_seconds':2}"),
        args(
            "CheckAlarms",
            new DeployerResult.AlarmsChecked(
                DeployerResult.AlarmState.ALARM,
                List.of("orders-prod-5xx"),
                List.of(
                    new AlarmMonitor.AlarmTransition(
                        "orders-prod-5xx",
                        Instant.parse("2026-11-22T09:03:00.250Z"),
                        "OK",
                        "ALARM")),
                false,
                60),
            "{'state':'ALARM','alarms_in_alarm':['orders-prod-5xx'],'transitions':[{"
                + "'alarm_name':'orders-prod-5xx','at':'2026-11-22T09:03:00.250Z',"
                + "'old_state':'OK','new_state':'ALARM'}],'window_ended':false,"
                + "'next_check_seconds':60}"),
        args(
            "Promote",
            new DeployerResult.Promoted("s3://cdk-artifacts-release/orders/" + COMMIT + "/"),
            "{'release_prefix':'s3://cdk-artifacts-release/orders/" + COMMIT + "/'}"),
        args(
            "MarkDeployed",
            new DeployerResult.MarkedDeployed(),
            "{'global_health_status':'healthy'}"),
        args("RecordOutcome", DeployerResult.Recorded.WRITTEN, "{}"),
        args(
            "RecordInvalidArtifact",
            DeployerResult.Recorded.AUDIT_ONLY,
            "{'recorded':'audit_only'}"),
        args(
            "StartRollback",
            new DeployerResult.RollbackStarted(DeploymentId.parse(ROLLBACK_DEPLOYMENT), 45),
            "{'deployment_id':'" + ROLLBACK_DEPLOYMENT + "','next_poll_seconds':45}"),
        args(
            "PollRollback",
            new DeployerResult.StacksPolled(DeployerResult.RolloutStatus.SUCCEEDED, null, 2),
            "{'status':'SUCCEEDED','reason':null,'next_poll_seconds':2}"),
        args("RecordRollbackFailed", DeployerResult.Recorded.WRITTEN, "{}"));
  }

  private static org.junit.jupiter.params.provider.Arguments args(
      String state, DeployerResult result, String expected) {
    return org.junit.jupiter.params.provider.Arguments.of(state, result, expected);
  }

  @ParameterizedTest
  @MethodSource("results")
  void writesTheResult_asTheTasksResultSelectorReadsIt(
      String stateName, DeployerResult result, String expected) throws IOException {
    ObjectNode written = DeployerJson.write(result);

    assertThat(Json.compact(written)).isEqualTo(Json.compact(json(expected)));
    // Every field the Task selects is there (a missing one is States.Runtime, which no Catch
    // handles).
    JsonNode selector = tasks().get(stateName).path("ResultSelector");
    ObjectNode lambdaResult = Json.object();
    lambdaResult.set("Payload", written);
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().endsWith(".$")) {
        assertThat(JsonPaths.read(f.getValue().asText(), lambdaResult, CONTEXT))
            .as("%s selects %s", stateName, f.getValue().asText())
            .isPresent();
      }
    }
  }

  private static JsonNode json(String singleQuoted) {
    try {
      return Json.parse(singleQuoted.replace('\'', '"'));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
