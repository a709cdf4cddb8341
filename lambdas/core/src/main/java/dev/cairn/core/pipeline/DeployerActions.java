package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
   */
  public DeployerActions(
      PipelineServices services, LeaseUseCase.Approvals approvals, DriftOverride driftOverride) {
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
            Map.entry("record_outcome", outcome::recordOutcome),
            Map.entry("record_failure", outcome::recordFailure),
            Map.entry("rollback_start", rollout::rollbackStart),
            Map.entry("rollback_poll", rollout::rollbackPoll),
            Map.entry("record_rollback", outcome::recordRollback));
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
