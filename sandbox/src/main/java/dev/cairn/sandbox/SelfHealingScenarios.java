package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.ExecutionResult;
import dev.cairn.asl.HistoryEvent;
import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.sfn.SfnExecutionControl;
import dev.cairn.core.finalize.ExecutionStatusChange;
import dev.cairn.core.finalize.FinalizeResult;
import dev.cairn.core.finalize.FinalizeUseCase;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.sweep.ExecutionControl;
import dev.cairn.core.sweep.SweepConfig;
import dev.cairn.core.sweep.SweepReport;
import dev.cairn.core.sweep.SweepUseCase;
import dev.cairn.testing.fake.FakeCloudFormationClient;
import dev.cairn.testing.fake.FakeSfnClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The self-healing scenarios of issue 6: the sweeper (every 2 minutes of virtual time) and the
 * finalizer (after every execution, as the EventBridge rule on "Step Functions Execution Status
 * Change" would call it), composed from the production use cases and adapters on the sandbox's
 * local services. Executions the sweeper starts go through Step Functions ({@link FakeSfnClient}),
 * whose runner runs the production ASL with the real handlers.
 */
final class SelfHealingScenarios {

  static final String STATE_MACHINE =
      "arn:aws:states:us-east-1:000000000000:stateMachine:DeployArtifactPipeline";
  static final Duration SWEEP_EVERY = Duration.ofMinutes(2);

  private SelfHealingScenarios() {}

  /** The upload event is lost; the sweeper starts the first environment within 2 sweeps. */
  static void droppedEvent(ScenarioContext c) throws Exception {
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    c.note("the candidate bucket's ObjectCreated event is lost: nothing starts the pipeline");
    // The schedule is not aligned with uploads: the worst case is a sweep just before the
    // 5-minute grace, then the next one.
    h.w.clock.advance(Duration.ofMinutes(2));
    for (int i = 1; i <= 2 && h.started == 0; i++) {
      h.sweep();
    }
    c.note("the sweeper started " + h.started + " execution(s) after " + h.sweeps + " sweep(s)");
    h.sweep(); // nothing left to do: no second start
  }

  /** An execution hangs; the watchdog stops it after 65 minutes; a later sweep completes it. */
  static void stuckExecution(ScenarioContext c) throws Exception {
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    FakeCloudFormationClient stage = h.w.cloudFormation.forAccount(SandboxWorld.STAGE_ACCOUNT);
    h.w.interrupter =
        e -> {
          if (e.type().endsWith("StateEntered") && e.stateName().equals("WaitForStacks")) {
            h.w.interrupter = x -> {};
            stage.hang("hello-stage-data"); // its change set is executing; now it never settles
            throw new Interrupted(false, "the orchestrator hangs while hello-stage-data deploys");
          }
        };
    h.startFromS3(COMMIT_A);
    c.note("the execution hangs in WaitForStacks (hello-stage-data never settles)");
    while (h.stopped == 0 && h.sweeps < 40) {
      h.sweep();
    }
    c.note(
        (h.stopped == 0 ? "the watchdog never stopped it in " : "the watchdog stopped it after ")
            + h.sweeps
            + " sweeps; the hang is released");
    stage.release("hello-stage-data");
    while (h.started == 0 && h.sweeps < 50) {
      h.sweep();
    }
  }

  /**
   * The execution dies after CloudFormation succeeded, before the record; the finalizer fixes it.
   */
  static void finalizerCorrection(ScenarioContext c) throws Exception {
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    FakeCloudFormationClient stage = h.w.cloudFormation.forAccount(SandboxWorld.STAGE_ACCOUNT);
    List<String> stacks = List.of("hello-stage-data", "hello-stage-api");
    h.w.interrupter =
        e -> {
          if (!(e.type().endsWith("StateEntered") && e.stateName().equals("PollStacks"))) {
            return;
          }
          if (!stacks.stream().allMatch(s -> settle(stage, s))) {
            return;
          }
          h.w.interrupter = x -> {};
          throw new Interrupted(
              true, "the orchestrator died after every stage stack completed, before RecordDeploy");
        };
    h.startFromS3(COMMIT_A);
  }

  /** Lets CloudFormation finish {@code stack}'s operation (it does not wait for pollers). */
  private static boolean settle(FakeCloudFormationClient cfn, String stack) {
    for (int i = 0; i < 20; i++) {
      Optional<StackStatus> s = cfn.stackStatus(stack);
      if (s.isEmpty() || s.get() == StackStatus.REVIEW_IN_PROGRESS) {
        return false;
      }
      if (!s.get().toString().endsWith("_IN_PROGRESS")) {
        return s.get() == StackStatus.CREATE_COMPLETE || s.get() == StackStatus.UPDATE_COMPLETE;
      }
      cfn.describeStacks(r -> r.stackName(stack));
    }
    return false;
  }

  /** Thrown from the world's interrupter: the orchestrator hangs (stays RUNNING) or dies. */
  static final class Interrupted extends RuntimeException {
    final boolean dies;

    Interrupted(boolean dies, String message) {
      super(message);
      this.dies = dies;
    }
  }

  /** The sweeper, the finalizer and Step Functions around one sandbox world. */
  static final class SelfHealing {
    final ScenarioContext c;
    final SandboxWorld w;
    final FakeSfnClient sfn;
    final SweepUseCase sweeper;
    final FinalizeUseCase finalizer;
    final List<String> hung = new ArrayList<>();
    final List<FinalizeResult> finalized = new ArrayList<>();
    int sweeps;
    int started;
    int stopped;

    SelfHealing(ScenarioContext c) {
      this.c = c;
      this.w = c.world();
      this.sfn = new FakeSfnClient(w.clock).runner(this::runExecution);
      this.sweeper =
          new SweepUseCase(
              w.ledger,
              w.store,
              new ExecutorIds(new SfnExecutionControl(sfn, STATE_MACHINE)),
              new EventBridgePipelineEvents(
                  w.events, "cairn-pipeline", EventBridgePipelineEvents.SWEEPER_SOURCE),
              w.metrics,
              w.chain,
              SweepConfig.defaults(SandboxWorld.CANDIDATE, SandboxWorld.RELEASE),
              w.clock);
      this.finalizer =
          new FinalizeUseCase(
              w.ledger,
              w.store,
              new AssumedRoleStackDeployers(
                  w.sts,
                  new AssumedRoleStackDeployers.ClientFactory() {
                    @Override
                    public CloudFormationClient cloudFormation(
                        EnvironmentPolicy e, AwsCredentialsProvider credentials) {
                      return w.cloudFormation.forAccount(e.account());
                    }

                    @Override
                    public SsmClient ssm(EnvironmentPolicy e, AwsCredentialsProvider credentials) {
                      return w.ssm.get(e.account());
                    }
                  }),
              w.chain,
              new EventBridgePipelineEvents(
                  w.events, "cairn-pipeline", EventBridgePipelineEvents.FINALIZER_SOURCE),
              w.metrics,
              w.clock);
    }

    /** What the S3 rule does: StartExecution for the first environment. */
    void startFromS3(String commit) {
      sfn.startExecution(
          r ->
              r.stateMachineArn(STATE_MACHINE)
                  .name("upload-" + commit.substring(0, 12))
                  .input(Json.compact(input(commit))));
    }

    /** One scheduled sweep, 2 minutes after the last. */
    SweepReport sweep() {
      w.clock.advance(SWEEP_EVERY);
      sweeps++;
      SweepReport r = sweeper.sweep();
      started += r.started();
      stopped += r.stopped();
      if (r.due() > 0) {
        c.note("sweep " + sweeps + " at " + w.clock.instant() + ": " + Json.compact(r.toJson()));
      }
      for (String arn : List.copyOf(hung)) {
        DescribeExecutionResponse d = sfn.describeExecution(x -> x.executionArn(arn));
        if (!d.statusAsString().equals("RUNNING")) {
          hung.remove(arn);
          closed(arn, d.name(), d.input(), d.statusAsString(), d.startDate(), d.error(), d.cause());
        }
      }
      return r;
    }

    /** The FakeSfnClient runner: the production ASL, then the finalizer per ended execution. */
    private FakeSfnClient.Outcome runExecution(
        String machine, String arn, String name, String inputJson) {
      JsonNode in = parse(inputJson);
      Instant start = w.clock.instant();
      try {
        List<SandboxWorld.Execution> done =
            w.run(
                in.path("service").asText(),
                in.path("commit_sha").asText(),
                in.path("environment").asText(),
                in.path("bucket").asText(),
                in.path("trigger").asText(),
                name);
        for (SandboxWorld.Execution e : done) {
          ExecutionResult r = e.result();
          List<HistoryEvent> h = r.history();
          finalize(
              executorId(e.name()),
              e.name(),
              h.get(0).details().path("input").asText(),
              r.status().name(),
              h.get(0).timestamp(),
              r.error(),
              r.cause());
        }
        ExecutionResult first = done.get(0).result();
        return switch (first.status()) {
          case SUCCEEDED -> FakeSfnClient.Outcome.succeeded(Json.compact(first.output()));
          case FAILED -> FakeSfnClient.Outcome.failed(first.error(), first.cause());
          default ->
              new FakeSfnClient.Outcome(
                  software.amazon.awssdk.services.sfn.model.ExecutionStatus.fromValue(
                      first.status().name()),
                  null,
                  first.error(),
                  first.cause());
        };
      } catch (Interrupted i) {
        c.note(name + ": " + i.getMessage());
        if (!i.dies) {
          hung.add(arn);
          return FakeSfnClient.Outcome.running();
        }
        closed(arn, name, inputJson, "FAILED", start, "States.Runtime", i.getMessage());
        return FakeSfnClient.Outcome.failed("States.Runtime", i.getMessage());
      }
    }

    /** An execution that ended outside the executor: listed, then finalized. */
    private void closed(
        String arn,
        String name,
        String inputJson,
        String status,
        Instant start,
        String error,
        String cause) {
      JsonNode in = parse(inputJson);
      w.executions.add(
          new SandboxWorld.Execution(
              name,
              in.path("environment").asText(),
              in.path("commit_sha").asText(),
              new ExecutionResult(
                  dev.cairn.asl.ExecutionStatus.valueOf(status), null, error, cause, List.of())));
      finalize(executorId(name), name, inputJson, status, start, error, cause);
    }

    /** What the EventBridge rule delivers to the finalizer (the documented event shape). */
    private void finalize(
        String arn,
        String name,
        String inputJson,
        String status,
        Instant start,
        String error,
        String cause) {
      ObjectNode detail = Json.object();
      detail.put("executionArn", arn);
      detail.put("stateMachineArn", STATE_MACHINE);
      detail.put("name", name);
      detail.put("status", status);
      detail.put("startDate", start.toEpochMilli());
      detail.put("stopDate", w.clock.instant().toEpochMilli());
      detail.put("input", inputJson);
      detail.putNull("output");
      detail.put("error", error);
      detail.put("cause", cause);
      ObjectNode event = Json.object();
      event.put("version", "0");
      event.put("id", "sandbox-" + name);
      event.put("detail-type", "Step Functions Execution Status Change");
      event.put("source", "aws.states");
      event.put("account", SandboxWorld.TOOLS_ACCOUNT);
      event.put("time", w.clock.instant().toString());
      event.put("region", SandboxWorld.REGION);
      event.putArray("resources").add(arn);
      event.set("detail", detail);
      FinalizeResult r = finalizer.finalize(ExecutionStatusChange.fromEvent(event));
      finalized.add(r);
      c.note("finalizer after " + name + " (" + status + "): " + Json.compact(r.toJson()));
    }

    /**
     * The {@code $$.Execution.Id} the pipeline records for execution {@code name}: {@code
     * SandboxWorld.run} names the local executor's execution by its Step Functions ARN, and the
     * executor prefixes its own account (123456789012). In AWS both are the one execution ARN.
     */
    static String executorId(String name) {
      return EXECUTOR_PREFIX + STATE_MACHINE.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    static final String EXECUTOR_PREFIX =
        "arn:aws:states:us-east-1:123456789012:execution:DeployArtifactPipeline:";

    static ObjectNode input(String commit) {
      ObjectNode in = Json.object();
      in.put("service", SandboxWorld.SERVICE);
      in.put("commit_sha", commit);
      in.put("environment", "stage");
      in.put("trigger", "s3");
      in.put("bucket", SandboxWorld.CANDIDATE);
      in.put(
          "manifest_key",
          ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + ArtifactLayout.MANIFEST_FILE);
      return in;
    }

    private static JsonNode parse(String json) {
      try {
        return Json.parse(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Maps the ids the pipeline recorded ({@link SelfHealing#executorId}) back to the Step Functions
   * ARNs for the production adapter; the sandbox's only difference from AWS.
   */
  record ExecutorIds(ExecutionControl delegate) implements ExecutionControl {
    @Override
    public Started start(String name, ObjectNode input) {
      return delegate.start(name, input);
    }

    @Override
    public Optional<String> status(String executionArn) {
      return delegate.status(sfnArn(executionArn));
    }

    @Override
    public void stop(String executionArn, String error, String cause) {
      delegate.stop(sfnArn(executionArn), error, cause);
    }

    static String sfnArn(String id) {
      return id.startsWith(SelfHealing.EXECUTOR_PREFIX)
          ? id.substring(SelfHealing.EXECUTOR_PREFIX.length())
          : id;
    }
  }
}
