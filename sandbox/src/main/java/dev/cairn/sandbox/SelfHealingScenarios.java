package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;

import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.CloudFormationEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * The self-healing scenarios: the synthesized sweeper function on its synthesized schedule (virtual
 * time), and the synthesized finalizer, which the {@code ExecutionStatusChangeRule} invokes when an
 * execution ends. Executions the sweeper starts go through the Step Functions emulator and run the
 * production definition.
 */
final class SelfHealingScenarios {

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
    CloudFormationEmulator stage = h.w.cloudFormation.forAccount(SandboxWorld.STAGE_ACCOUNT);
    h.w.interrupter =
        e -> {
          if (e.type().endsWith("StateEntered") && e.stateName().equals("WaitForStacks")) {
            h.w.interrupter = x -> {};
            stage.hang("hello-stage-data"); // its change set is executing; now it never settles
            throw new SandboxWorld.OrchestratorInterrupted(
                false, "the orchestrator hangs while hello-stage-data deploys");
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
   * The execution hangs as the stage tests start (the record says {@code deployed}, {@code
   * test_running}): in flight for more than 65 minutes from {@code execution_started_at}, the
   * watchdog stops it and requeues it ({@code pending}, {@code not_tested}); the next sweep starts
   * it again and it completes, prod included.
   */
  static void stuckInTests(ScenarioContext c) throws Exception {
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    h.w.interrupter =
        e -> {
          if (e.type().endsWith("StateEntered") && e.stateName().equals("RunTests")) {
            h.w.interrupter = x -> {};
            throw new SandboxWorld.OrchestratorInterrupted(
                false, "the orchestrator hangs as the stage tests start");
          }
        };
    h.startFromS3(COMMIT_A);
    c.note("the execution hangs in RunTests (stage deployed, test_running)");
    while (h.stopped == 0 && h.sweeps < 45) {
      h.sweep();
    }
    c.note(
        (h.stopped == 0 ? "the watchdog never stopped it in " : "the watchdog stopped it after ")
            + h.sweeps
            + " sweeps");
    while (h.started == 0 && h.sweeps < 55) {
      h.sweep();
    }
  }

  /**
   * The execution dies after CloudFormation succeeded, before the record; the finalizer fixes it.
   */
  static void finalizerCorrection(ScenarioContext c) throws Exception {
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    CloudFormationEmulator stage = h.w.cloudFormation.forAccount(SandboxWorld.STAGE_ACCOUNT);
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
          throw new SandboxWorld.OrchestratorInterrupted(
              true, "the orchestrator died after every stage stack completed, before RecordDeploy");
        };
    h.startFromS3(COMMIT_A);
  }

  /**
   * The stage tests' build passed, then the execution died before it recorded the result: the
   * record still says {@code test_running}. The finalizer (ExecutionStatusChangeRule) reads the
   * build and records {@code test_passed}.
   */
  static void finalizerReadsBuild(ScenarioContext c) throws Exception {
    SelfHealing h = new SelfHealing(c);
    c.publish(COMMIT_A);
    h.w.interrupter =
        e -> {
          if (e.type().endsWith("StateEntered") && e.stateName().equals("BakeRequired")) {
            h.w.interrupter = x -> {};
            throw new SandboxWorld.OrchestratorInterrupted(
                true,
                "the orchestrator died after the stage tests' build succeeded, before the record");
          }
        };
    h.startFromS3(COMMIT_A);
  }

  /** Lets CloudFormation finish {@code stack}'s operation (it does not wait for pollers). */
  private static boolean settle(CloudFormationEmulator cfn, String stack) {
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

  /** The sweeper on its schedule, and what it and the finalizer did. */
  static final class SelfHealing {
    final ScenarioContext c;
    final SandboxWorld w;
    final Duration every;
    int sweeps;
    int started;
    int stopped;

    SelfHealing(ScenarioContext c) {
      this.c = c;
      this.w = c.world();
      this.every = w.schedule("sweeper");
      w.onRuleInvocation = (function, out) -> c.note(function + " (rule): " + Json.compact(out));
      w.onScheduledInvocation =
          (function, out) -> {
            if (!function.equals("sweeper")) {
              return;
            }
            sweeps++;
            started += out.path("started").asInt();
            stopped += out.path("stopped").asInt();
            if (out.path("due").asInt() > 0) {
              c.note("sweep at " + w.clock.instant() + ": " + Json.compact(out));
            }
          };
    }

    /** The candidate bucket's upload event reaches the rules. */
    void startFromS3(String commit) {
      w.objectCreated(SandboxWorld.CANDIDATE, ScenarioContext.manifestKey(w, commit));
    }

    /** One schedule period passes: the synthesized sweeper schedule fires once. */
    void sweep() {
      w.clock.advance(every);
      w.drain();
      w.settleHung();
    }
  }
}
