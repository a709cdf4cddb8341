package dev.cairn.lambda.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.pipeline.ArtifactEvidence;
import dev.cairn.core.pipeline.CaughtError;
import dev.cairn.core.pipeline.DeployerCommand;
import dev.cairn.core.pipeline.DeployerResult;
import dev.cairn.core.pipeline.DeploymentId;
import dev.cairn.core.pipeline.ExecutionState;
import dev.cairn.core.pipeline.PipelineRequest;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The deployer's JSON contract (docs/pipeline-contract.md): one reader per action, from the payload
 * the production definition's Task sends to its {@link DeployerCommand}, and one writer per {@link
 * DeployerResult}, to the JSON the Task's {@code ResultSelector} reads.
 *
 * <p>A reader refuses a payload with a field its action does not take, or without one it needs
 * (present, even when its value may be {@code null}), with an {@link IllegalArgumentException}
 * naming the action and the field: the Lambda reports {@code java.lang.IllegalArgumentException},
 * which the phase's Catch records. Missing or malformed {@code evidence} is {@code EvidenceRefused}
 * ({@code EVIDENCE_MISSING}), as before the reader existed.
 */
final class DeployerJson {

  /** The fields every action carries. */
  private static final List<String> COMMON =
      List.of("action", "service", "commit_sha", "environment", "execution_id");

  /**
   * The execution's verified evidence: its absence is refused as any malformed evidence is, with
   * {@code EvidenceRefused} ({@code EVIDENCE_MISSING}), by {@link ArtifactEvidence#from}.
   */
  private static final Set<String> EVIDENCE = Set.of("evidence");

  private record Reader(
      Set<String> required, Set<String> optional, Function<Payload, DeployerCommand> read) {}

  private static final Map<String, Reader> READERS =
      Map.ofEntries(
          Map.entry(
              "acquire_lease",
              reader(
                  Set.of("trigger", "execution_name", "execution_started_at"),
                  // Absent, the verifier vouched for neither: an environment that counts approvals
                  // (against the digest) refuses the lease, and gate 8 reads as not passed.
                  Set.of("artifact_sha256", "asset_verification_passed"),
                  p ->
                      new DeployerCommand.AcquireLease(
                          p.request,
                          p.enumValue("trigger", DeployerCommand.Trigger.class),
                          p.text("execution_name"),
                          p.instant("execution_started_at"),
                          p.text("artifact_sha256"),
                          p.bool("asset_verification_passed")))),
          Map.entry(
              "detect_drift",
              reader(
                  Set.of("deploy_role_arn"),
                  Set.of(),
                  p -> new DeployerCommand.DetectDrift(p.request, p.text("deploy_role_arn")))),
          Map.entry(
              "create_change_sets",
              reader(
                  Set.of("bucket", "manifest_key", "deploy_role_arn"),
                  EVIDENCE,
                  p ->
                      new DeployerCommand.CreateChangeSets(
                          p.request,
                          p.required("bucket"),
                          p.text("manifest_key"),
                          p.text("deploy_role_arn"),
                          p.evidence()))),
          Map.entry(
              "poll_change_sets",
              reader(
                  Set.of("deployment_id"),
                  EVIDENCE,
                  p ->
                      new DeployerCommand.PollChangeSets(
                          p.request, p.deploymentId(), p.evidence()))),
          Map.entry(
              "execute_change_sets",
              reader(
                  Set.of("deployment_id"),
                  EVIDENCE,
                  p ->
                      new DeployerCommand.ExecuteChangeSets(
                          p.request, p.deploymentId(), p.evidence()))),
          Map.entry(
              "poll_stacks",
              reader(
                  Set.of("deployment_id", "commit_time"),
                  EVIDENCE,
                  p ->
                      new DeployerCommand.PollStacks(
                          p.request, p.deploymentId(), p.evidence(), p.instant("commit_time")))),
          Map.entry(
              "check_alarms",
              reader(
                  Set.of("alarm_names", "since", "window_seconds", "phase"),
                  Set.of(),
                  p ->
                      new DeployerCommand.CheckAlarms(
                          p.request,
                          p.texts("alarm_names"),
                          requiredInstant(p, "since"),
                          // Without window_seconds the call is a single look at a window that
                          // ends now.
                          p.node("window_seconds").asLong(0),
                          p.enumValue("phase", DeployerCommand.AlarmPhase.class)))),
          Map.entry(
              "promote",
              reader(
                  Set.of("next_environment", "deployment_id", "tests"),
                  EVIDENCE,
                  p ->
                      new DeployerCommand.Promote(
                          p.request,
                          p.text("next_environment"),
                          p.optionalDeploymentId(),
                          p.evidence()))),
          Map.entry(
              "mark_deployed",
              reader(
                  Set.of("deployment_id", "tests"),
                  Set.of(),
                  p -> new DeployerCommand.MarkDeployed(p.request, p.optionalDeploymentId()))),
          Map.entry(
              "record_outcome",
              reader(
                  Set.of("outcome", "deployment_id", "execution_state"),
                  Set.of(),
                  p ->
                      new DeployerCommand.RecordOutcome(
                          p.request,
                          p.enumValue("outcome", DeployerCommand.SuccessOutcome.class),
                          p.optionalDeploymentId(),
                          p.executionState()))),
          Map.entry(
              "record_failure",
              reader(
                  Set.of("phase", "outcome", "error", "execution_state"),
                  // Sent by the phases whose failure in the final environment starts a rollback.
                  Set.of("final_environment"),
                  p ->
                      new DeployerCommand.RecordFailure(
                          p.request,
                          p.enumValue("phase", DeployerCommand.FailurePhase.class),
                          p.enumValue("outcome", DeployerCommand.FailureOutcome.class),
                          p.caughtError("error"),
                          p.executionState(),
                          p.bool("final_environment")))),
          Map.entry(
              "rollback_start",
              reader(
                  Set.of("last_known_good_commit", "attempt", "deploy_role_arn"),
                  Set.of(),
                  p ->
                      new DeployerCommand.RollbackStart(
                          p.request,
                          p.required("last_known_good_commit"),
                          p.node("attempt").asInt(1),
                          p.text("deploy_role_arn")))),
          Map.entry(
              "rollback_poll",
              reader(
                  Set.of("deployment_id"),
                  Set.of(),
                  p -> new DeployerCommand.RollbackPoll(p.request, p.deploymentId()))),
          Map.entry(
              "record_rollback",
              reader(
                  Set.of(
                      "outcome",
                      "attempts",
                      "backoff_schedule",
                      "last_known_good_commit",
                      "error",
                      "execution_state"),
                  // Sent with rollback_failed.
                  Set.of("rollback_attempts_exhausted", "manual_intervention_required"),
                  p ->
                      new DeployerCommand.RecordRollback(
                          p.request,
                          p.enumValue("outcome", DeployerCommand.RollbackOutcome.class),
                          p.node("attempts").asInt(0),
                          p.waits("backoff_schedule", p.node("attempts").asInt(0)),
                          p.text("last_known_good_commit"),
                          p.caughtError("error"),
                          p.bool("rollback_attempts_exhausted"),
                          p.bool("manual_intervention_required"),
                          p.executionState()))));

  private DeployerJson() {}

  /** Every action name the deployer answers. */
  static Set<String> actions() {
    return new TreeSet<>(READERS.keySet());
  }

  /** Reads the fields every action carries (the SnapStart priming reads no more). */
  static PipelineRequest request(ObjectNode payload) {
    return new PipelineRequest(
        payload.path("service").asText(null),
        payload.path("commit_sha").asText(null),
        payload.path("environment").asText(null),
        payload.path("execution_id").asText(null));
  }

  /** Reads one payload into its action's command. */
  static DeployerCommand read(ObjectNode payload) {
    String action = payload.path("action").asText(null);
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("the payload has no action");
    }
    Reader reader = READERS.get(action);
    if (reader == null) {
      throw new IllegalArgumentException(
          "unknown deployer action \"" + action + "\"; known: " + actions());
    }
    PipelineRequest request = request(payload);
    for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!COMMON.contains(field)
          && !reader.required().contains(field)
          && !reader.optional().contains(field)) {
        throw new IllegalArgumentException("action " + action + " does not take \"" + field + "\"");
      }
    }
    for (String field : new TreeSet<>(reader.required())) {
      if (!payload.has(field)) {
        throw new IllegalArgumentException("action " + action + " needs \"" + field + "\"");
      }
    }
    return reader.read().apply(new Payload(action, request, payload));
  }

  /** Writes a result as the contract's JSON. */
  static ObjectNode write(DeployerResult result) {
    ObjectNode out = Json.object();
    if (result instanceof DeployerResult.LeaseAcquired r) {
      out.put("lease_id", r.leaseId());
      nullable(out, "last_known_good_commit", r.lastKnownGoodCommit());
      out.set("policy", policy(r.policy()));
    } else if (result instanceof DeployerResult.DriftChecked r) {
      strings(out.putArray("checked_stacks"), r.checkedStacks());
      nullable(out, "override_id", r.overrideId());
    } else if (result instanceof DeployerResult.ChangeSetsCreated r) {
      out.put("deployment_id", r.deploymentId().toString());
      ArrayNode sets = out.putArray("change_sets");
      for (String stack : r.stackNames()) {
        sets.addObject()
            .put("stack_name", stack)
            .put("change_set_name", r.deploymentId().changeSetName());
      }
    } else if (result instanceof DeployerResult.ChangeSetsPolled r) {
      status(out, r.status().name(), r.reason()).put("next_poll_seconds", r.nextPollSeconds());
    } else if (result instanceof DeployerResult.ChangeSetsExecuted r) {
      strings(out.putArray("stacks"), r.stacks());
      out.put("next_poll_seconds", r.nextPollSeconds());
    } else if (result instanceof DeployerResult.StacksPolled r) {
      status(out, r.status().name(), r.reason()).put("next_poll_seconds", r.nextPollSeconds());
    } else if (result instanceof DeployerResult.AlarmsChecked r) {
      out.put("state", r.state().name());
      strings(out.putArray("alarms_in_alarm"), r.alarmsInAlarm());
      ArrayNode transitions = out.putArray("transitions");
      for (AlarmMonitor.AlarmTransition t : r.transitions()) {
        transitions
            .addObject()
            .put("alarm_name", t.alarmName())
            .put("at", TransitionPlanner.iso(t.at()))
            .put("old_state", t.oldState())
            .put("new_state", t.newState());
      }
      out.put("window_ended", r.windowEnded());
      out.put("next_check_seconds", r.nextCheckSeconds());
    } else if (result instanceof DeployerResult.Promoted r) {
      out.put("release_prefix", r.releasePrefix());
    } else if (result instanceof DeployerResult.MarkedDeployed) {
      out.put("global_health_status", "healthy");
    } else if (result instanceof DeployerResult.Recorded r) {
      if (r.auditOnly()) {
        out.put("recorded", "audit_only");
      }
    } else if (result instanceof DeployerResult.RollbackStarted r) {
      out.put("deployment_id", r.deploymentId().toString());
      out.put("next_poll_seconds", r.nextPollSeconds());
    } else {
      throw new IllegalArgumentException("no writer for " + result);
    }
    return out;
  }

  private static ObjectNode policy(DeployerResult.Policy p) {
    ObjectNode o = Json.object();
    o.put("drift_check", p.driftCheck());
    nullable(o, "tests_project", p.testsProject());
    o.put("bake_seconds", p.bakeSeconds());
    o.put("post_deploy_watch_seconds", p.postDeployWatchSeconds());
    strings(o.putArray("alarm_names"), p.alarmNames());
    o.put("final_environment", p.finalEnvironment());
    nullable(o, "next_environment", p.nextEnvironment());
    o.put("deploy_role_arn", p.deployRoleArn());
    return o;
  }

  private static ObjectNode status(ObjectNode out, String status, String reason) {
    out.put("status", status);
    nullable(out, "reason", reason);
    return out;
  }

  private static void nullable(ObjectNode out, String field, String value) {
    if (value == null) {
      out.putNull(field);
    } else {
      out.put(field, value);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static Reader reader(
      Set<String> required, Set<String> optional, Function<Payload, DeployerCommand> read) {
    return new Reader(required, optional, read);
  }

  private static Instant requiredInstant(Payload p, String field) {
    Instant t = p.instant(field);
    if (t == null) {
      throw new IllegalArgumentException("action " + p.action + " needs \"" + field + "\"");
    }
    return t;
  }

  /** One payload being read: typed accessors whose refusals name the action and the field. */
  private record Payload(String action, PipelineRequest request, ObjectNode json) {

    JsonNode node(String field) {
      return json.path(field);
    }

    /** A text field, or null when absent or JSON null. */
    String text(String field) {
      JsonNode n = json.get(field);
      return n == null || n.isNull() ? null : n.asText();
    }

    String required(String field) {
      String v = text(field);
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException("action " + action + " needs \"" + field + "\"");
      }
      return v;
    }

    /** A boolean that is absent or null is false. */
    boolean bool(String field) {
      JsonNode n = json.path(field);
      if (n.isMissingNode() || n.isNull()) {
        return false;
      }
      if (!n.isBoolean()) {
        throw new IllegalArgumentException(
            "action " + action + ": \"" + field + "\" is not a boolean: " + n);
      }
      return n.booleanValue();
    }

    Instant instant(String field) {
      String v = text(field);
      if (v == null) {
        return null;
      }
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(field + " is not an ISO-8601 instant: " + v, e);
      }
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type) {
      String v = required(field);
      try {
        return Enum.valueOf(type, v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "action " + action + ": \"" + field + "\" is not one of the contract's values: " + v,
            e);
      }
    }

    List<String> texts(String field) {
      List<String> out = new ArrayList<>();
      json.path(field).forEach(n -> out.add(n.asText()));
      return out;
    }

    DeploymentId deploymentId() {
      return DeploymentId.parse(required("deployment_id"));
    }

    /** Read by no step of these actions, so not required to parse (a null stays null). */
    DeploymentId optionalDeploymentId() {
      String v = text("deployment_id");
      return v == null ? null : DeploymentId.parse(v);
    }

    ArtifactEvidence evidence() {
      return ArtifactEvidence.from(json.get("evidence"));
    }

    CaughtError caughtError(String field) {
      JsonNode n = json.path(field);
      return n.isObject()
          ? new CaughtError(n.path("Error").asText(""), n.path("Cause").asText(""))
          : CaughtError.NONE;
    }

    /** The waits the rollback loop took, one per attempt. */
    List<Long> waits(String field, int attempts) {
      JsonNode waits = json.path(field);
      if (!waits.isArray()) {
        throw new IllegalArgumentException(
            "backoff_schedule must list one wait per attempt (" + attempts + "): " + waits);
      }
      List<Long> out = new ArrayList<>();
      waits.forEach(w -> out.add(w.asLong()));
      return out;
    }

    ExecutionState executionState() {
      JsonNode state = json.path("execution_state");
      if (!state.isObject()) {
        return ExecutionState.NONE;
      }
      JsonNode error = state.path("error");
      return new ExecutionState(
          Json.compact(state),
          error.isObject()
              ? new CaughtError(error.path("Error").asText(""), error.path("Cause").asText(""))
              : null);
    }
  }
}
