package dev.cairn.core.finalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.assembly.AssemblyException;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.evidence.EndedExecution;
import dev.cairn.core.evidence.ReleaseEvidenceRecorder;
import dev.cairn.core.failure.ExecutionEndFailure;
import dev.cairn.core.finalize.port.TestBuilds;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.LedgerTime;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.TransientError;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.pipeline.port.StackDeployer;
import dev.cairn.core.pipeline.port.StackDeployers;
import dev.cairn.core.sweep.SweepUseCase;
import dev.cairn.core.sweep.port.PipelineEvents;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The spec's "Metadata Finalizer Lambda": after every DeployArtifactPipeline execution ends, it
 * compares the record with the truth and makes the record say what happened. Rules
 * (docs/decisions/2026-11-22-finalizer-resolution.md), for the execution's environment:
 *
 * <ol>
 *   <li>The record belongs to another execution now ({@code execution_id} differs): ignored.
 *   <li>Stopped by the sweeper's watchdog (error {@code StuckPipelineTerminated}): the sweeper
 *       requeues; only the execution fields are recorded.
 *   <li>The environment is still {@code deploying}: ask the stacks, through the environment's
 *       read-only role. Every stack complete with this execution's change set → {@code deployed}; a
 *       stack operation still running → no conclusion (the watchdog is the backstop); otherwise →
 *       {@code failed} (a signed requeue redeploys it).
 *   <li>{@code test_status} is still {@code test_running}: no test outcome was recorded, so the
 *       finalizer reads the deployment's test build ({@link TestBuilds}, matched by {@code
 *       CAIRN_DEPLOYMENT_ID}) and resolves it by {@link TestVerdict}: one {@code SUCCEEDED} build →
 *       {@code test_passed}, one {@code FAILED} build → {@code test_failed}, anything ambiguous →
 *       the safe side, {@code not_tested}.
 *   <li>The execution ended (aborted, timed out or failed) without any of its recording steps,
 *       after it acquired its environment's lease: the finalizer writes its release evidence record
 *       ({@link ReleaseEvidenceRecorder#recordEnded}), from the ledger and the audit chain and the
 *       event's status, error and cause (never Step Functions' execution history), with the code of
 *       {@link ExecutionEndFailure}. Also for a watchdog stop, and whoever holds the record now.
 * </ol>
 *
 * Every run sets {@code execution_status}, {@code execution_completed_at}, {@code finalizer_ran}
 * and {@code finalizer_correction_applied}; a correction also sets {@code finalizer_corrected}/
 * {@code finalizer_corrected_at} and emits {@code FinalizerCorrectedMetadata} and the {@code
 * FinalizerCorrected} metric. A second run finds nothing to change and writes nothing.
 */
public final class FinalizeUseCase {

  /** The {@code Actor} of every finalizer write. */
  public static final Actor ACTOR = new Actor(ActorRole.FINALIZER, "cairn-finalizer");

  private static final Set<String> DONE =
      Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE");

  private final DeploymentLedger ledger;
  private final ArtifactStore store;
  private final StackDeployers stacks;
  private final EnvironmentChain chain;
  private final PipelineEvents events;
  private final PipelineMetrics metrics;
  private final TestBuilds testBuilds;
  private final ReleaseEvidenceRecorder evidence;
  private final Clock clock;

  public FinalizeUseCase(
      DeploymentLedger ledger,
      ArtifactStore store,
      StackDeployers stacks,
      EnvironmentChain chain,
      PipelineEvents events,
      PipelineMetrics metrics,
      TestBuilds testBuilds,
      ReleaseEvidenceRecorder evidence,
      Clock clock) {
    this.ledger = ledger;
    this.store = store;
    this.stacks = stacks;
    this.chain = chain;
    this.events = events;
    this.metrics = metrics;
    this.testBuilds = Objects.requireNonNull(testBuilds, "testBuilds");
    this.evidence = Objects.requireNonNull(evidence, "evidence");
    this.clock = clock;
  }

  /**
   * Reconciles the record, then writes the release evidence of an execution that ended without its
   * recording step (rule 5): whatever the record says now, that execution reached its environment
   * and must leave a record of how it ended.
   */
  public FinalizeResult finalize(ExecutionStatusChange change) {
    FinalizeResult result = reconcile(change);
    if (ExecutionEndFailure.ofStatus(change.status()) == null) {
      return result; // SUCCEEDED: every successful path ends in record_outcome
    }
    // How it ended is the event's (the execution's status); what it did, DynamoDB's.
    EndedExecution ended =
        new EndedExecution(
            change.executionArn(), change.status(), change.error(), change.cause(), change.input());
    return evidence.recordEnded(ended, ACTOR).map(result::withEvidence).orElse(result);
  }

  private FinalizeResult reconcile(ExecutionStatusChange change) {
    String service = change.service();
    String commit = change.commitSha();
    String env = change.inputText("environment");
    if (service == null || commit == null || env == null || !chain.names().contains(env)) {
      return FinalizeResult.ignored("the execution input names no known artifact/environment");
    }
    ArtifactKey key = new ArtifactKey(service, commit);
    Optional<ArtifactRecord> found = ledger.find(key);
    if (found.isEmpty()) {
      return FinalizeResult.ignored(key + " is not recorded");
    }
    ArtifactRecord r = found.get();
    // 1. Another execution owns the record now.
    if (r.executionId() != null && !r.executionId().equals(change.executionArn())) {
      return FinalizeResult.ignored("the record belongs to execution " + r.executionId());
    }
    EnvironmentState state = r.environment(env);
    if (state == null) {
      return FinalizeResult.ignored("the record has no environment " + env);
    }
    Instant now = clock.instant();
    Instant stopped = change.stopDate() != null ? change.stopDate() : now;
    List<StateChange> moves = new ArrayList<>();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("execution_id", change.executionArn());
    details.put("execution_status", change.status());
    details.put("environment", env);
    // 2. The watchdog stopped it and requeues itself.
    boolean watchdog =
        "ABORTED".equals(change.status()) && SweepUseCase.STOP_ERROR.equals(change.error());
    StackTruth truth = null;
    if (!watchdog && state.status() == EnvironmentStatus.DEPLOYING) {
      // 3. Ask the stacks.
      truth = inspect(r, change, env);
      details.put("stack_truth", truth.name());
      if (truth == StackTruth.DEPLOYED) {
        moves.add(
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED));
      } else if (truth == StackTruth.NOT_DEPLOYED) {
        moves.add(
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.FAILED));
      }
    }
    if (!watchdog && state.testStatus() == TestStatus.TEST_RUNNING) {
      // 4. The execution ended without recording a test outcome: the build says what happened.
      List<TestBuilds.TestBuild> builds = builds(change, env);
      TestStatus verdict = TestVerdict.of(builds);
      details.put(
          "test_builds", builds.stream().map(b -> b.id() + "=" + b.status()).toList().toString());
      details.put("test_verdict", verdict.value());
      moves.add(StateChange.test(env, TestStatus.TEST_RUNNING, verdict));
    }
    boolean corrected = !moves.isEmpty();
    ExecutionStatus status = executionStatus(change.status());
    Instant completedAt = LedgerTime.millis(stopped);
    Boolean correctionApplied = corrected ? Boolean.TRUE : r.finalizerCorrectionApplied();
    if (correctionApplied == null) {
      correctionApplied = Boolean.FALSE;
    }
    if (!corrected
        && change.executionArn().equals(r.executionId())
        && status == r.executionStatus()
        && completedAt.equals(r.executionCompletedAt())
        && Boolean.TRUE.equals(r.finalizerRan())
        && correctionApplied.equals(r.finalizerCorrectionApplied())) {
      return new FinalizeResult("unchanged", List.of(), "already finalized");
    }
    boolean deployed = truth == StackTruth.DEPLOYED;
    Boolean applied = correctionApplied;
    Consumer<ArtifactRecord.Builder> attributes =
        b -> {
          b.executionId(change.executionArn())
              .executionStatus(status)
              .executionCompletedAt(completedAt)
              .finalizerRan(true)
              .finalizerCorrectionApplied(applied);
          if (corrected) {
            b.finalizerCorrected(true).finalizerCorrectedAt(now);
          }
          if (deployed) {
            EnvironmentState e = b.environmentStates().get(env);
            Long seconds =
                e.deployStartedAt() == null
                    ? null
                    : Math.max(0, Duration.between(e.deployStartedAt(), stopped).toSeconds());
            b.environment(env, e.withDeployTimes(e.deployStartedAt(), completedAt, seconds));
          }
        };
    ledger.transition(
        new TransitionRequest(
            key,
            ACTOR,
            corrected ? "FinalizerCorrectedMetadata" : "FinalizerRan",
            moves,
            attributes,
            null,
            null,
            details));
    List<String> applied2 = moves.stream().map(StateChange::toString).toList();
    if (!corrected) {
      return new FinalizeResult(
          "recorded", List.of(), watchdog ? "stopped by the watchdog" : "consistent");
    }
    ObjectNode detail = Json.object();
    detail.put("service", service);
    detail.put("commit_sha", commit);
    detail.put("environment", env);
    detail.put("execution_id", change.executionArn());
    detail.put("execution_status", status.value());
    if (truth != null) {
      detail.put("stack_truth", truth.name());
    }
    applied2.forEach(detail.putArray("corrections")::add);
    events.publish("FinalizerCorrectedMetadata", detail);
    metrics.finalizerCorrected(service, env);
    return new FinalizeResult(
        "corrected",
        applied2,
        truth == null
            ? "tests never reported; test build " + details.get("test_builds")
            : "stacks: " + truth);
  }

  /** The test builds the execution started in {@code env}, found by its deployment id. */
  private List<TestBuilds.TestBuild> builds(ExecutionStatusChange change, String env) {
    EnvironmentPolicy policy = chain.get(env);
    String bucket = change.inputText("bucket");
    if (policy.testsProject() == null || bucket == null) {
      return List.of();
    }
    String deploymentId =
        DeploymentId.deploy(bucket, change.commitSha(), env, change.executionArn()).toString();
    return testBuilds.find(policy.testsProject(), deploymentId, change.startDate());
  }

  /**
   * The stacks' truth for this execution: the plan's stacks, each {@code *_COMPLETE} with the
   * execution's own change set executed ({@code EXECUTE_COMPLETE}) or found empty. The change set
   * name is derived from the commit, the environment and the execution ({@link DeploymentId}), so a
   * stack another deployment left complete does not count.
   */
  StackTruth inspect(ArtifactRecord r, ExecutionStatusChange change, String env) {
    EnvironmentPolicy policy = chain.get(env);
    String bucket = change.inputText("bucket");
    if (bucket == null) {
      return StackTruth.NOT_DEPLOYED;
    }
    List<StackArtifact> plan;
    try {
      plan =
          CloudAssembly.read(store.source(bucket, r.service(), r.commitSha()))
              .planFor(policy.account(), policy.region());
    } catch (AssemblyException e) {
      return StackTruth.NOT_DEPLOYED; // the deploy phase refuses such an assembly
    } catch (IOException e) {
      throw new TransientError("could not read the cloud assembly: " + e.getMessage(), e);
    }
    String changeSet =
        DeploymentId.deploy(bucket, r.commitSha(), env, change.executionArn()).changeSetName();
    StackDeployer cfn =
        stacks.forEnvironment(
            readOnly(policy), "cairn-finalizer-" + Objects.toString(change.name(), "execution"));
    for (StackArtifact stack : plan) {
      Optional<StackDeployer.StackState> st = cfn.describeStack(stack.stackName());
      if (st.isPresent() && st.get().inProgress()) {
        return StackTruth.IN_PROGRESS;
      }
      Optional<StackDeployer.ChangeSetState> cs =
          cfn.describeChangeSet(stack.stackName(), changeSet);
      boolean ours =
          cs.isPresent()
              && (cs.get().isEmpty() || "EXECUTE_COMPLETE".equals(cs.get().executionStatus()));
      if (!(ours && st.isPresent() && DONE.contains(st.get().status()))) {
        return StackTruth.NOT_DEPLOYED;
      }
    }
    return StackTruth.DEPLOYED;
  }

  /**
   * The environment as seen through its read-only role: {@link StackDeployers} assumes {@code
   * deployRoleArn}, so the finalizer passes a view whose deploy role is the read-only one ({@code
   * cloudformation:Describe*} only, CairnTargetAccountStack).
   */
  static EnvironmentPolicy readOnly(EnvironmentPolicy p) {
    return new EnvironmentPolicy(
        p.name(),
        p.account(),
        p.region(),
        p.readOnlyRoleArn(),
        p.cloudFormationExecutionRoleArn(),
        p.readOnlyRoleArn(),
        false,
        null,
        0,
        List.of(),
        0,
        null);
  }

  static ExecutionStatus executionStatus(String sfnStatus) {
    return switch (sfnStatus) {
      case "SUCCEEDED" -> ExecutionStatus.SUCCEEDED;
      case "TIMED_OUT" -> ExecutionStatus.TIMEOUT;
      case "ABORTED" -> ExecutionStatus.KILLED;
      case "FAILED" -> ExecutionStatus.FAILED;
      default -> ExecutionStatus.RUNNING;
    };
  }
}
