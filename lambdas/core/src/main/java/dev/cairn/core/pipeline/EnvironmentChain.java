package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.SweepPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered environments an artifact moves through: the spec's stage → prod, or 004's dev → stg →
 * prod. Promotion out of one starts the next; the last is the final environment (smoke tests,
 * rollback).
 */
public final class EnvironmentChain {

  private final List<EnvironmentPolicy> environments;
  private final Map<String, Integer> index = new LinkedHashMap<>();

  public EnvironmentChain(List<EnvironmentPolicy> environments) {
    if (environments.isEmpty()) {
      throw new IllegalArgumentException("the environment chain is empty");
    }
    this.environments = List.copyOf(environments);
    for (int i = 0; i < environments.size(); i++) {
      if (index.put(environments.get(i).name(), i) != null) {
        throw new IllegalArgumentException(
            "environment " + environments.get(i).name() + " appears twice");
      }
    }
  }

  /** Parses {@code [{"name","account","region","deploy_role_arn",...}, ...]} in chain order. */
  public static EnvironmentChain parse(String json) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "environment chain is not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException("environment chain must be a JSON array");
    }
    List<EnvironmentPolicy> list = new ArrayList<>();
    for (JsonNode e : root) {
      List<String> alarms = new ArrayList<>();
      e.path("alarm_names").forEach(a -> alarms.add(a.asText()));
      list.add(
          new EnvironmentPolicy(
              e.path("name").asText(null),
              e.path("account").asText(null),
              e.path("region").asText(null),
              e.path("deploy_role_arn").asText(null),
              e.path("cloudformation_execution_role_arn").asText(null),
              e.path("read_only_role_arn").asText(null),
              e.path("drift_check").asBoolean(false),
              e.path("tests_project").asText(null),
              e.path("bake_seconds").asLong(0),
              alarms,
              e.path("approvals_required").asInt(0),
              e.hasNonNull("stack_policy") ? e.get("stack_policy").toString() : null,
              e.path("post_deploy_watch_seconds").asLong(0)));
    }
    return new EnvironmentChain(list);
  }

  public List<EnvironmentPolicy> environments() {
    return environments;
  }

  public List<String> names() {
    return environments.stream().map(EnvironmentPolicy::name).toList();
  }

  public EnvironmentPolicy first() {
    return environments.get(0);
  }

  /** The policy of {@code name}; an unknown environment is a caller error. */
  public EnvironmentPolicy get(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException(
          "unknown environment \"" + name + "\"; the chain is " + names());
    }
    return environments.get(i);
  }

  public boolean isFinal(String name) {
    return index.get(name) != null && index.get(name) == environments.size() - 1;
  }

  /**
   * How long an execution for {@code name} may be in flight, from {@code execution_started_at},
   * before the watchdog stops it: the spec's 65 minutes ({@link SweepPolicy#STUCK_EXECUTION}) plus
   * the environment's bake and, for the final environment, its post-deploy watch. Both are {@code
   * Wait} states of the definition, legitimate in-flight time outside the phases' 60-minute limits.
   * An unknown environment gets the 65 minutes alone.
   */
  public Duration inFlightAllowance(String name) {
    if (!index.containsKey(name)) {
      return SweepPolicy.STUCK_EXECUTION;
    }
    EnvironmentPolicy p = get(name);
    long watch = isFinal(name) ? p.postDeployWatchSeconds() : 0;
    return SweepPolicy.STUCK_EXECUTION.plusSeconds(p.bakeSeconds() + watch);
  }

  public EnvironmentPolicy last() {
    return environments.get(environments.size() - 1);
  }

  /** The environment after {@code name}, or empty for the final one. */
  public Optional<EnvironmentPolicy> next(String name) {
    int i = index.getOrDefault(name, -1);
    return i >= 0 && i + 1 < environments.size()
        ? Optional.of(environments.get(i + 1))
        : Optional.empty();
  }

  /** The {@code POLICY} object of the pipeline contract (docs/pipeline-contract.md). */
  public DeployerResult.Policy contractPolicy(String name) {
    EnvironmentPolicy p = get(name);
    return new DeployerResult.Policy(
        p.driftCheck(),
        p.testsProject(),
        p.bakeSeconds(),
        isFinal(name) ? p.postDeployWatchSeconds() : 0,
        p.alarmNames(),
        isFinal(name),
        next(name).map(EnvironmentPolicy::name).orElse(null),
        p.deployRoleArn());
  }
}
