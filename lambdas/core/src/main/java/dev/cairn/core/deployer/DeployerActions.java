package dev.cairn.core.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.evidence.GateFailure;
import dev.cairn.core.evidence.ReleaseEvidenceRecorder;
import dev.cairn.core.pipeline.BakeUseCase;
import dev.cairn.core.pipeline.DriftOverride;
import dev.cairn.core.pipeline.DriftUseCase;
import dev.cairn.core.pipeline.LeaseUseCase;
import dev.cairn.core.pipeline.OutcomeUseCase;
import dev.cairn.core.pipeline.PipelineRequest;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.PromoteUseCase;
import dev.cairn.core.pipeline.RolloutUseCase;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Routes a deployer payload's {@code action} to its use case (docs/pipeline-contract.md). */
public final class DeployerActions {

  private final Map<String, Function<PipelineRequest, ObjectNode>> actions;

  /**
   * @param approvals distinct signed approvals per artifact and environment (the override Lambda's
   *     store); environments with {@code approvals_required > 0} wait for them
   * @param driftOverride the stored, signed break_glass requests the drift gate re-verifies
   * @param evidence writes the release evidence record when an execution ends
   */
  public DeployerActions(
      PipelineServices services,
      LeaseUseCase.Approvals approvals,
      DriftOverride driftOverride,
      ReleaseEvidenceRecorder evidence) {
    LeaseUseCase lease = new LeaseUseCase(services, approvals);
    DriftUseCase drift = new DriftUseCase(services, driftOverride);
    RolloutUseCase rollout = new RolloutUseCase(services);
    BakeUseCase bake = new BakeUseCase(services);
    PromoteUseCase promote = new PromoteUseCase(services, rollout);
    OutcomeUseCase outcome = new OutcomeUseCase(services);
    this.actions =
        Map.ofEntries(
            Map.entry("acquire_lease", lease::acquire),
            Map.entry("detect_drift", drift::detect),
            Map.entry("create_change_sets", rollout::createChangeSets),
            Map.entry("poll_change_sets", rollout::pollChangeSets),
            Map.entry("execute_change_sets", rollout::executeChangeSets),
            Map.entry("poll_stacks", rollout::pollStacks),
            Map.entry("check_alarms", bake::checkAlarms),
            Map.entry("promote", promote::promote),
            Map.entry("mark_deployed", outcome::markDeployed),
            Map.entry(
                "record_outcome",
                req -> recorded(outcome.recordOutcome(req), evidence, req, req.text("outcome"))),
            Map.entry("record_failure", req -> recordFailure(outcome, evidence, req)),
            Map.entry("rollback_start", rollout::rollbackStart),
            Map.entry("rollback_poll", rollout::rollbackPoll),
            Map.entry(
                "record_rollback",
                req -> recorded(outcome.recordRollback(req), evidence, req, req.text("outcome"))));
  }

  /**
   * The phases whose failure in the final environment starts a rollback (the state machine's {@code
   * RollbackRequired}): the execution ends in {@code record_rollback}, which records the evidence
   * then.
   */
  private static final Set<String> ROLLBACK_PHASES = Set.of("tests", "bake", "post_deploy_watch");

  private static ObjectNode recordFailure(
      OutcomeUseCase outcome, ReleaseEvidenceRecorder evidence, PipelineRequest req) {
    ObjectNode out = outcome.recordFailure(req);
    boolean rollbackFollows =
        ROLLBACK_PHASES.contains(String.valueOf(req.text("phase")))
            && req.node("final_environment").asBoolean(false);
    // An upload nobody registered has no record and no verified manifest to describe: its refusal
    // is the audit entry recordFailure wrote.
    boolean unrecorded = OutcomeUseCase.AUDIT_ONLY.equals(out.path("recorded").asText());
    if (!rollbackFollows && !unrecorded) {
      evidence.record(
          req,
          req.text("outcome"),
          GateFailure.fromCaught(String.valueOf(req.text("phase")), req.node("error")));
    }
    return out;
  }

  /** After a success or a rollback: the failure, if any, is the one in the execution's state. */
  private static ObjectNode recorded(
      ObjectNode out, ReleaseEvidenceRecorder evidence, PipelineRequest req, String outcome) {
    JsonNode error = req.node("execution_state").path("error");
    GateFailure failure = null;
    if (error.isObject()) {
      String phase = "AlarmTriggered".equals(error.path("Error").asText()) ? "bake" : "tests";
      failure = GateFailure.fromCaught(phase, error);
    }
    evidence.record(req, outcome, failure);
    return out;
  }

  /** Every action name the deployer answers. */
  public Set<String> names() {
    return actions.keySet();
  }

  /** Runs {@code request}'s action; an unknown action is a caller error. */
  public ObjectNode handle(PipelineRequest request) {
    Function<PipelineRequest, ObjectNode> action = actions.get(request.action());
    if (action == null) {
      throw new IllegalArgumentException(
          "unknown deployer action \""
              + request.action()
              + "\"; known: "
              + new java.util.TreeSet<>(actions.keySet()));
    }
    return action.apply(request);
  }
}
