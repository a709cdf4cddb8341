package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.HistoryEvent;
import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.CloudFormationEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the control plane adds on top of CloudFormation, per execution, from recorded facts only:
 * the execution history (its virtual timestamps, the states it entered, the tasks it scheduled) and
 * the spans CloudFormation's emulator recorded for its operations.
 *
 * <p>{@code overhead_seconds} is the execution's time on the virtual clock not covered by any of: a
 * CloudFormation operation in the environment's account (change set creation, execution, deletion),
 * the test build (a CodeBuild task), the bake and the post-deploy watch (the alarm watch loops: the
 * {@code check_alarms} tasks and the states that lead into and out of them). What is left is
 * polling dead time, Lambda and task time, and everything else the pipeline adds.
 *
 * <p>{@code state_transitions} counts the states entered (what Step Functions Standard bills);
 * {@code lambda_invocations} the Lambda tasks scheduled. Both are also given without the alarm
 * watch loops ({@code deploy_state_transitions}, {@code deploy_lambda_invocations}): a watch's
 * length is the environment's policy, not the deploy's cost.
 */
final class ControlPlaneOverhead {

  private ControlPlaneOverhead() {}

  /** The figures of one execution. */
  static ObjectNode of(
      List<HistoryEvent> history,
      JsonNode definition,
      List<CloudFormationEmulator.Operation> cloudFormation) {
    Set<String> watch = watchStates(definition);
    if (history.isEmpty()) {
      // An execution that never ran (refused before its first event) added nothing.
      history = List.of(new HistoryEvent(1, 0, Instant.EPOCH, "ExecutionStarted", Json.object()));
    }
    Instant start = history.get(0).timestamp();
    Instant end = history.get(history.size() - 1).timestamp();

    List<Instant[]> cfn = new ArrayList<>();
    for (CloudFormationEmulator.Operation op : cloudFormation) {
      cfn.add(new Instant[] {op.start(), op.end()});
    }
    List<Instant[]> tests = new ArrayList<>();
    List<Instant[]> bake = new ArrayList<>();
    int transitions = 0;
    int watchTransitions = 0;
    int lambdas = 0;
    int watchLambdas = 0;
    Map<String, Instant> entered = new HashMap<>();
    Set<String> codeBuildStates = new HashSet<>();
    String current = "";
    for (HistoryEvent h : history) {
      if (h.type().endsWith("StateEntered")) {
        current = h.stateName();
        entered.put(current, h.timestamp());
        transitions++;
        if (watch.contains(current)) {
          watchTransitions++;
        }
      } else if (h.type().equals("TaskScheduled")) {
        String type = h.details().path("resourceType").asText();
        if (type.equals("lambda")) {
          lambdas++;
          if (watch.contains(current)) {
            watchLambdas++;
          }
        } else if (type.equals("codebuild")) {
          codeBuildStates.add(current);
        }
      } else if (h.type().endsWith("StateExited")) {
        String name = h.stateName();
        Instant in = entered.remove(name);
        if (in != null && codeBuildStates.contains(name)) {
          tests.add(new Instant[] {in, h.timestamp()});
        } else if (in != null && watch.contains(name)) {
          bake.add(new Instant[] {in, h.timestamp()});
        }
      }
    }
    List<Instant[]> all = new ArrayList<>(cfn);
    all.addAll(tests);
    all.addAll(bake);
    Duration total = Duration.between(start, end);
    Duration covered = covered(all, start, end);

    ObjectNode out = Json.object();
    out.put("duration_seconds", seconds(total));
    out.put("cloudformation_seconds", seconds(covered(cfn, start, end)));
    out.put("test_build_seconds", seconds(covered(tests, start, end)));
    out.put("bake_seconds", seconds(covered(bake, start, end)));
    out.put("overhead_seconds", seconds(total.minus(covered)));
    out.put("state_transitions", transitions);
    out.put("lambda_invocations", lambdas);
    out.put("deploy_state_transitions", transitions - watchTransitions);
    out.put("deploy_lambda_invocations", lambdas - watchLambdas);
    return out;
  }

  /**
   * The alarm watch loops: each Task that runs {@code check_alarms}, the states whose {@code Next}
   * is such a task (the wait between checks, the pass that starts the watch) and the Choice each
   * such task leads to.
   */
  static Set<String> watchStates(JsonNode definition) {
    JsonNode states = definition.path("States");
    Set<String> checks = new HashSet<>();
    states
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue()
                  .path("Parameters")
                  .path("Payload")
                  .path("action")
                  .asText()
                  .equals("check_alarms")) {
                checks.add(e.getKey());
              }
            });
    Set<String> out = new HashSet<>(checks);
    states
        .fields()
        .forEachRemaining(
            e -> {
              if (checks.contains(e.getValue().path("Next").asText())) {
                out.add(e.getKey());
              }
            });
    for (String check : checks) {
      String next = states.path(check).path("Next").asText();
      if (states.path(next).path("Type").asText().equals("Choice")) {
        out.add(next);
      }
    }
    return out;
  }

  /** The length of the union of {@code spans}, each clipped to [from, to]. */
  static Duration covered(List<Instant[]> spans, Instant from, Instant to) {
    List<Instant[]> clipped = new ArrayList<>();
    for (Instant[] s : spans) {
      Instant a = s[0].isBefore(from) ? from : s[0];
      Instant b = s[1].isAfter(to) ? to : s[1];
      if (a.isBefore(b)) {
        clipped.add(new Instant[] {a, b});
      }
    }
    clipped.sort(Comparator.comparing(s -> s[0]));
    Duration sum = Duration.ZERO;
    Instant reach = from;
    for (Instant[] s : clipped) {
      Instant a = s[0].isBefore(reach) ? reach : s[0];
      if (a.isBefore(s[1])) {
        sum = sum.plus(Duration.between(a, s[1]));
        reach = s[1];
      }
    }
    return sum;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
