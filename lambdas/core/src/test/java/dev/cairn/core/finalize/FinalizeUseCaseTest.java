package dev.cairn.core.finalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.finalize.port.TestBuilds;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.LedgerTime;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.ReadOnlyStackDeployer;
import dev.cairn.core.pipeline.port.StackDeployers;
import dev.cairn.core.sweep.SweepUseCase;
import dev.cairn.core.sweep.TestWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FinalizeUseCaseTest {

  static final String ARN =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:s3-1";
  static final List<String> STAGE_STACKS = List.of("hello-stage-data", "hello-stage-api");

  final TestWorld w = new TestWorld();
  final Map<String, String> stackStatus = new HashMap<>();
  final Map<String, String> changeSets = new HashMap<>(); // stack/name -> execution status
  final List<String> rolesAssumed = new ArrayList<>();
  final List<TestBuilds.TestBuild> builds = new ArrayList<>();
  final List<String> buildQueries = new ArrayList<>();
  ArtifactKey key;

  FinalizeUseCase finalizer() {
    StackDeployers deployers =
        (env, session) -> {
          rolesAssumed.add(env.deployRoleArn());
          return new ReadOnlyStacks();
        };
    return new FinalizeUseCase(
        w.ledger,
        w.store(),
        deployers,
        w.chain,
        (type, detail) -> w.events.add(type),
        w.metrics,
        (project, deploymentId, since) -> {
          buildQueries.add(project + " " + deploymentId);
          return List.copyOf(builds);
        },
        // The in-memory ledger cites no audit entries, so no execution here took a lease by an
        // entry of its own and none gets a record: the evidence rule is tested on the real
        // ledger and audit log (FinalizerHandlerTest) and end to end (stuck-* scenarios).
        new dev.cairn.core.evidence.ReleaseEvidenceRecorder(
            w.ledger, new UnreadAuditLog(), w.store(), TestWorld.RELEASE, w.clock),
        w.clock);
  }

  /** The evidence writer's audit log, which these tests never reach: any read fails them. */
  static final class UnreadAuditLog implements dev.cairn.core.audit.port.AuditLog {
    @Override
    public String chainId() {
      throw new AssertionError("no release evidence is written in these tests");
    }

    @Override
    public dev.cairn.core.audit.AuditHead head() {
      throw new AssertionError("no release evidence is written in these tests");
    }

    @Override
    public java.util.Iterator<com.fasterxml.jackson.databind.node.ObjectNode> entries() {
      throw new AssertionError("no release evidence is written in these tests");
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode append(
        dev.cairn.core.audit.AuditEvent event) {
      throw new AssertionError("no release evidence is written in these tests");
    }
  }

  void leaseStage() {
    key = w.publish();
    w.ledger.transition(
        new TransitionRequest(
            key,
            new Actor(ActorRole.PIPELINE, "sfn"),
            "LeaseAcquired",
            List.of(
                StateChange.environment(
                    "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            b ->
                b.executionId(ARN)
                    .executionStartedAt(w.clock.instant())
                    .executionStatus(ExecutionStatus.RUNNING),
            null,
            null,
            Map.of()));
  }

  void stacksDeployedByThisExecution() {
    String cs =
        DeploymentId.deploy(TestWorld.CANDIDATE, TestWorld.COMMIT, "stage", ARN).changeSetName();
    for (String s : STAGE_STACKS) {
      stackStatus.put(s, "UPDATE_COMPLETE");
      changeSets.put(s + "/" + cs, "EXECUTE_COMPLETE");
    }
  }

  /** The EventBridge event, in the documented shape. */
  JsonNode event(String status, String error) throws Exception {
    String input =
        Json.compact(
            Json.object()
                .put("service", "orders")
                .put("commit_sha", TestWorld.COMMIT)
                .put("environment", "stage")
                .put("trigger", "s3")
                .put("bucket", TestWorld.CANDIDATE)
                .put("manifest_key", "orders/" + TestWorld.COMMIT + "/artifact-manifest.json"));
    var detail =
        Json.object()
            .put("executionArn", ARN)
            .put(
                "stateMachineArn",
                "arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline")
            .put("name", "s3-1")
            .put("status", status)
            .put("startDate", TestWorld.T0.toEpochMilli())
            .put("stopDate", w.clock.instant().toEpochMilli())
            .put("input", input);
    if (error == null) {
      detail.putNull("error").putNull("cause");
    } else {
      detail.put("error", error).put("cause", "stopped");
    }
    var event =
        Json.object()
            .put("version", "0")
            .put("id", "315c1398-40ff-a850-213b-158f73e60175")
            .put("detail-type", "Step Functions Execution Status Change")
            .put("source", "aws.states")
            .put("account", "000000000000")
            .put("time", w.clock.instant().toString())
            .put("region", "us-east-1");
    event.putArray("resources").add(ARN);
    event.set("detail", detail);
    return event;
  }

  FinalizeResult run(String status, String error) throws Exception {
    return finalizer().finalize(ExecutionStatusChange.fromEvent(event(status, error)));
  }

  ArtifactRecord record() {
    return w.ledger.find(key).orElseThrow();
  }

  @Test
  void finalize_whenStacksCompleteButRecordDeploying_movesToDeployed_once() throws Exception {
    leaseStage();
    w.clock.advance(Duration.ofMinutes(12));
    stacksDeployedByThisExecution();
    FinalizeResult result = run("FAILED", "States.TaskFailed");
    assertThat(result.corrected()).isTrue();
    ArtifactRecord r = record();
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYED);
    assertThat(r.environment("stage").deployCompletedAt()).isNotNull();
    assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.executionCompletedAt()).isEqualTo(LedgerTime.millis(w.clock.instant()));
    assertThat(r.finalizerRan()).isTrue();
    assertThat(r.finalizerCorrectionApplied()).isTrue();
    assertThat(r.finalizerCorrected()).isTrue();
    assertThat(r.finalizerCorrectedAt()).isNotNull();
    assertThat(w.events).containsExactly("FinalizerCorrectedMetadata");
    assertThat(w.metrics.names).containsExactly("FinalizerCorrected");
    assertThat(w.ledger.actions()).endsWith("FinalizerCorrectedMetadata");
    assertThat(rolesAssumed).containsOnly("arn:aws:iam::111111111111:role/cairn-stage-readonly");

    // Idempotent: the second run changes nothing and emits nothing.
    long version = record().version();
    int audit = w.ledger.audit().size();
    assertThat(run("FAILED", "States.TaskFailed").outcome()).isEqualTo("unchanged");
    assertThat(record().version()).isEqualTo(version);
    assertThat(w.ledger.audit()).hasSize(audit);
    assertThat(w.metrics.names).hasSize(1);
  }

  @Test
  void finalize_whenStacksCompleteFromAnotherDeployment_marksFailed() throws Exception {
    leaseStage();
    for (String s : STAGE_STACKS) {
      stackStatus.put(s, "UPDATE_COMPLETE"); // complete, but not with this execution's change set
    }
    assertThat(run("ABORTED", null).corrected()).isTrue();
    assertThat(record().environment("stage").status()).isEqualTo(EnvironmentStatus.FAILED);
    assertThat(record().executionStatus()).isEqualTo(ExecutionStatus.KILLED);
  }

  /**
   * An execution the S3 rule started has the rule's input ({@code trigger, bucket, manifest_key,
   * environment}): the finalizer reads the artifact from the manifest key, as the state machine
   * does. Before, it ignored every S3-started execution.
   */
  @Test
  void finalize_whenTheS3RuleStartedTheExecution_readsTheArtifactFromTheManifestKey()
      throws Exception {
    leaseStage();
    stacksDeployedByThisExecution();
    com.fasterxml.jackson.databind.node.ObjectNode e =
        (com.fasterxml.jackson.databind.node.ObjectNode) event("FAILED", "States.TaskFailed");
    com.fasterxml.jackson.databind.node.ObjectNode ruleInput =
        Json.object()
            .put("trigger", "s3")
            .put("bucket", TestWorld.CANDIDATE)
            .put("manifest_key", "orders/" + TestWorld.COMMIT + "/artifact-manifest.json")
            .put("environment", "stage");
    ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("detail"))
        .put("input", Json.compact(ruleInput));
    FinalizeResult result = finalizer().finalize(ExecutionStatusChange.fromEvent(e));
    assertThat(result.corrected()).isTrue();
    assertThat(record().environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYED);
  }

  @Test
  void finalize_whenStackRolledBack_marksFailed() throws Exception {
    leaseStage();
    stacksDeployedByThisExecution();
    stackStatus.put("hello-stage-api", "UPDATE_ROLLBACK_COMPLETE");
    assertThat(run("TIMED_OUT", null).corrected()).isTrue();
    assertThat(record().environment("stage").status()).isEqualTo(EnvironmentStatus.FAILED);
    assertThat(record().executionStatus()).isEqualTo(ExecutionStatus.TIMEOUT);
  }

  @Test
  void finalize_whenStackStillInProgress_concludesNothing() throws Exception {
    leaseStage();
    stacksDeployedByThisExecution();
    stackStatus.put("hello-stage-api", "UPDATE_IN_PROGRESS");
    FinalizeResult result = run("FAILED", null);
    assertThat(result.outcome()).isEqualTo("recorded");
    assertThat(record().environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYING);
    assertThat(record().finalizerRan()).isTrue();
    assertThat(record().finalizerCorrectionApplied()).isFalse();
    assertThat(w.events).isEmpty();
  }

  @Test
  void finalize_whenTestsNeverReported_resetsTestStatus() throws Exception {
    leaseStage();
    w.ledger.transition(
        TransitionRequest.of(
            key,
            new Actor(ActorRole.PIPELINE, "sfn"),
            "DeploySucceeded",
            StateChange.environment(
                "stage", EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED),
            StateChange.test("stage", TestStatus.NOT_TESTED, TestStatus.TEST_RUNNING)));
    assertThat(run("FAILED", "States.Runtime").corrected()).isTrue();
    assertThat(record().environment("stage").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
    assertThat(rolesAssumed).isEmpty(); // nothing to ask the stacks
  }

  void testsRunning() {
    leaseStage();
    w.ledger.transition(
        TransitionRequest.of(
            key,
            new Actor(ActorRole.PIPELINE, "sfn"),
            "DeploySucceeded",
            StateChange.environment(
                "stage", EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED),
            StateChange.test("stage", TestStatus.NOT_TESTED, TestStatus.TEST_RUNNING)));
  }

  @Test
  void finalize_whenTheTestBuildSucceeded_recordsTestPassed() throws Exception {
    testsRunning();
    builds.add(new TestBuilds.TestBuild("hello-stage-tests:1", "SUCCEEDED"));
    FinalizeResult result = run("FAILED", "States.Runtime");
    assertThat(result.corrected()).isTrue();
    assertThat(record().environment("stage").testStatus()).isEqualTo(TestStatus.TEST_PASSED);
    assertThat(w.events).containsExactly("FinalizerCorrectedMetadata");
    // The build is looked up by the execution's deployment id, in the environment's project.
    assertThat(buildQueries)
        .singleElement()
        .satisfies(q -> assertThat(q).startsWith(w.chain.get("stage").testsProject() + " "));
  }

  @Test
  void finalize_whenTheTestBuildFailed_recordsTestFailed() throws Exception {
    testsRunning();
    builds.add(new TestBuilds.TestBuild("hello-stage-tests:1", "FAILED"));
    assertThat(run("FAILED", "States.Runtime").corrected()).isTrue();
    assertThat(record().environment("stage").testStatus()).isEqualTo(TestStatus.TEST_FAILED);
  }

  @Test
  void finalize_whenTheBuildIsStillRunning_resolvesToNotTested() throws Exception {
    testsRunning();
    builds.add(new TestBuilds.TestBuild("hello-stage-tests:1", "IN_PROGRESS"));
    assertThat(run("FAILED", "States.Runtime").corrected()).isTrue();
    assertThat(record().environment("stage").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
  }

  @Test
  void finalize_whenTwoBuildsClaimTheDeployment_resolvesToNotTested() throws Exception {
    testsRunning();
    builds.add(new TestBuilds.TestBuild("hello-stage-tests:2", "SUCCEEDED"));
    builds.add(new TestBuilds.TestBuild("hello-stage-tests:1", "FAILED"));
    assertThat(run("FAILED", "States.Runtime").corrected()).isTrue();
    assertThat(record().environment("stage").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
  }

  @Test
  void finalize_whenStoppedByWatchdog_recordsOnly() throws Exception {
    leaseStage();
    FinalizeResult result = run("ABORTED", SweepUseCase.STOP_ERROR);
    assertThat(result.outcome()).isEqualTo("recorded");
    assertThat(record().environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYING);
    assertThat(record().executionStatus()).isEqualTo(ExecutionStatus.KILLED);
  }

  @Test
  void finalize_whenConsistentSuccess_recordsExecutionFieldsWithoutCorrection() throws Exception {
    leaseStage();
    w.ledger.transition(
        TransitionRequest.of(
            key,
            new Actor(ActorRole.PIPELINE, "sfn"),
            "DeploySucceeded",
            StateChange.environment(
                "stage", EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED)));
    assertThat(run("SUCCEEDED", null).outcome()).isEqualTo("recorded");
    assertThat(record().executionStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(record().finalizerCorrectionApplied()).isFalse();
    assertThat(record().finalizerCorrected()).isNull();
    assertThat(w.metrics.names).isEmpty();
    assertThat(run("SUCCEEDED", null).outcome()).isEqualTo("unchanged");
  }

  @Test
  void finalize_whenAnotherExecutionOwnsTheRecord_isIgnored() throws Exception {
    leaseStage();
    w.ledger.put(record().toBuilder().executionId(ARN + "-other").build());
    assertThat(run("ABORTED", null).outcome()).isEqualTo("ignored");
  }

  @Test
  void fromEvent_readsTheDocumentedShape() throws Exception {
    key = w.publish();
    ExecutionStatusChange c = ExecutionStatusChange.fromEvent(event("TIMED_OUT", null));
    assertThat(c.executionArn()).isEqualTo(ARN);
    assertThat(c.status()).isEqualTo("TIMED_OUT");
    assertThat(c.inputText("environment")).isEqualTo("stage");
    assertThat(c.startDate()).isEqualTo(TestWorld.T0);
    assertThat(c.error()).isNull();
  }

  /** DescribeStacks / DescribeChangeSet only; anything else would be a write. */
  final class ReadOnlyStacks extends ReadOnlyStackDeployer {
    @Override
    public Optional<StackState> describeStack(String stackName) {
      String s = stackStatus.get(stackName);
      return s == null ? Optional.empty() : Optional.of(new StackState(stackName, s, null));
    }

    @Override
    public Optional<ChangeSetState> describeChangeSet(String stackName, String changeSetName) {
      String e = changeSets.get(stackName + "/" + changeSetName);
      return e == null
          ? Optional.empty()
          : Optional.of(new ChangeSetState("CREATE_COMPLETE", null, e, List.of()));
    }
  }
}
