package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.deploy.CloudFormationTimes;
import dev.cairn.core.deploy.CloudFormationTimes.Action;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long {@link CloudFormationEmulator}'s operations take on the clock: the one place that models
 * CloudFormation's own time, so a pipeline's overhead over CloudFormation can be measured against
 * something that behaves like the service.
 *
 * <p>What CloudFormation documents ("Understand stack deployment time", User Guide): resources that
 * do not depend on each other (through {@code Ref}, {@code Fn::GetAtt}, {@code DependsOn}) are
 * provisioned in parallel, each once it is ready to serve traffic, so "the longest chain of
 * resources that depend on each other sets the minimum time for a stack operation". The model is
 * that: an operation takes the longest dependency chain of the resources it touches, each taking
 * its type's typical time for the action ({@link CloudFormationTimes#TYPICAL}, the one table of
 * those times, with their rationale), and a nested stack its own chain plus its bookkeeping.
 *
 * <p>Each resource's time is varied by a factor within {@link CloudFormationTimes#SPREAD_LOW} and
 * {@link CloudFormationTimes#SPREAD_HIGH}, derived from a hash of the stack, the logical ID and the
 * template: varied like the service, yet the same for the same template, so runs are reproducible.
 *
 * <p>{@link #stepPerDescribe()} keeps the emulator's older progress model (one status step per
 * Describe call, nothing timed) for unit tests on a fixed clock.
 */
public final class StackOperationTimes {

  /**
   * From an operation's start to its first status change ({@code CREATE_PENDING} to {@code
   * CREATE_IN_PROGRESS}).
   */
  static final Duration FIRST_STEP = Duration.ofSeconds(1);

  /** The shortest cleanup phase (update or rollback cleanup with nothing to delete). */
  static final Duration MIN_CLEANUP = Duration.ofSeconds(1);

  private static final StackOperationTimes STEP_PER_DESCRIBE = new StackOperationTimes(false);
  private static final StackOperationTimes MODELLED = new StackOperationTimes(true);

  private final boolean timed;

  private StackOperationTimes(boolean timed) {
    this.timed = timed;
  }

  /** The emulator's default: one status step per Describe call, nothing depends on the clock. */
  public static StackOperationTimes stepPerDescribe() {
    return STEP_PER_DESCRIBE;
  }

  /** Operations take the modelled time on the clock (the sandbox's setting). */
  public static StackOperationTimes modelled() {
    return MODELLED;
  }

  public boolean timed() {
    return timed;
  }

  /** How long creating a change set for {@code resources} takes. */
  static Duration changeSet(String stackName, String templateBody, int resources) {
    return vary(CloudFormationTimes.changeSet(resources), stackName, "(change set)", templateBody);
  }

  /** One resource's time for {@code action}, varied. */
  static Duration resource(
      String stackName, String logicalId, String type, Action action, String templateBody) {
    return vary(CloudFormationTimes.typical(type, action), stackName, logicalId, templateBody);
  }

  /**
   * The longest dependency chain among {@code resources} (logical ID to template node), counting
   * each touched resource's time ({@code time}; absent: untouched, zero).
   */
  static Duration longestChain(Map<String, JsonNode> resources, Map<String, Duration> time) {
    Map<String, Duration> finish = new HashMap<>();
    for (String id : ResourceGraph.creationOrder(resources)) {
      Duration start = Duration.ZERO;
      for (String dep : ResourceGraph.dependencies(resources, id)) {
        Duration f = finish.getOrDefault(dep, Duration.ZERO);
        if (f.compareTo(start) > 0) {
          start = f;
        }
      }
      finish.put(id, start.plus(time.getOrDefault(id, Duration.ZERO)));
    }
    return finish.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** The longest of {@code times}, at least {@link #MIN_CLEANUP}: deletions run in parallel. */
  static Duration parallel(List<Duration> times) {
    Duration longest = MIN_CLEANUP;
    for (Duration d : times) {
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  /** {@code base} times a factor within the spread, fixed by the inputs; whole milliseconds. */
  static Duration vary(Duration base, String stackName, String logicalId, String templateBody) {
    byte[] h;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(stackName.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(logicalId.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(templateBody.getBytes(StandardCharsets.UTF_8));
      h = sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    int u = ((h[0] & 0xff) << 8) | (h[1] & 0xff); // 0..65535
    double factor =
        CloudFormationTimes.SPREAD_LOW
            + (CloudFormationTimes.SPREAD_HIGH - CloudFormationTimes.SPREAD_LOW) * (u / 65535.0);
    return Duration.ofMillis(Math.round(base.toMillis() * factor));
  }
}
