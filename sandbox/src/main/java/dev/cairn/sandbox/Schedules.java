package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's {@code AWS::Scheduler::Schedule}s on the virtual clock. Each fires first one
 * period after the control plane is deployed, then every period ({@code FlexibleTimeWindow OFF}).
 * The world fires what is due whenever it is idle between executions; when the clock jumped over
 * several occurrences (a 10-minute bake runs inside one execution), the occurrences collapse into
 * one invocation at the current time, and the next falls one period after the last missed one.
 */
final class Schedules {

  private static final Pattern RATE =
      Pattern.compile("^rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)$");

  /** One schedule: its logical id, period, target ARN, role and input (null: none). */
  record Schedule(
      String logicalId, Duration every, String targetArn, String roleArn, String input) {}

  private final List<Schedule> schedules = new ArrayList<>();
  private final List<Instant> next = new ArrayList<>();

  Schedules(ControlPlaneAssembly assembly, Instant deployedAt) {
    for (ControlPlaneAssembly.Resource r : assembly.resources("AWS::Scheduler::Schedule")) {
      if (!"ENABLED".equals(r.properties().path("State").asText("ENABLED"))) {
        continue;
      }
      JsonNode target = r.properties().path("Target");
      Schedule s =
          new Schedule(
              r.logicalId(),
              rate(r.logicalId(), r.properties().path("ScheduleExpression").asText()),
              target.path("Arn").asText(),
              target.path("RoleArn").asText(null),
              target.has("Input") ? target.path("Input").asText() : null);
      schedules.add(s);
      next.add(deployedAt.plus(s.every()));
    }
  }

  List<Schedule> all() {
    return List.copyOf(schedules);
  }

  /** The period of the schedule that targets one of {@code arns}. */
  Duration periodOf(List<String> arns) {
    for (Schedule s : schedules) {
      if (arns.contains(s.targetArn())) {
        return s.every();
      }
    }
    throw new IllegalStateException("no schedule targets " + arns);
  }

  /** The schedules due at {@code now}, in the order they fell due; each is moved past now. */
  List<Schedule> due(Instant now) {
    List<Schedule> out = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < schedules.size(); i++) {
      if (!next.get(i).isAfter(now)) {
        order.add(i);
      }
    }
    order.sort((a, b) -> next.get(a).compareTo(next.get(b)));
    for (int i : order) {
      Schedule s = schedules.get(i);
      Instant n = next.get(i);
      while (!n.isAfter(now)) {
        n = n.plus(s.every());
      }
      next.set(i, n);
      out.add(s);
    }
    return out;
  }

  /** The input a Lambda target receives: the schedule's {@code Input}, or an empty object. */
  static JsonNode input(Schedule s) {
    try {
      return s.input() == null ? Json.object() : Json.parse(s.input());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Duration rate(String logicalId, String expression) {
    Matcher m = RATE.matcher(expression);
    if (!m.matches()) {
      throw new dev.cairn.sandbox.assembly.UnsupportedTemplateException(
          logicalId + ": ScheduleExpression " + expression + " is not modelled (rate(...) only)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).charAt(0)) {
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
