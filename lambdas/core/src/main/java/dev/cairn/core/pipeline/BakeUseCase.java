package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check_alarms}: one look at an alarm window (the bake, or the final environment's
 * post-deploy watch). The state machine calls it when the window opens and then every {@link
 * #CHECK_INTERVAL} until the window ends; each call reads the alarms' whole history since the
 * window opened plus their state now, so an alarm that fired and recovered between two looks still
 * fails the window. The window fails when any watched alarm is in ALARM now or entered ALARM at any
 * time since it opened.
 *
 * <p>Audit: the look that opens the window and the look that closes it (an alarm fired, or the
 * window ended quiet) each write an audit entry ({@code AlarmWindowOpened}, {@code
 * AlarmWindowChecked}) with every alarm transition seen since the window opened.
 */
public final class BakeUseCase {

  /** How often the state machine looks at the alarms during a window. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(60);

  private final PipelineServices s;

  public BakeUseCase(PipelineServices services) {
    this.s = services;
  }

  public DeployerResult.AlarmsChecked checkAlarms(DeployerCommand.CheckAlarms cmd) {
    PipelineRequest req = cmd.request();
    EnvironmentPolicy env = s.chain().get(req.environment());
    List<String> names = new ArrayList<>(cmd.alarmNames());
    if (names.isEmpty()) {
      names.addAll(env.alarmNames());
    }
    Instant since = cmd.since();
    long windowSeconds = cmd.windowSeconds();
    Instant now = s.clock().instant();
    AlarmMonitor.AlarmWindow window =
        names.isEmpty()
            ? new AlarmMonitor.AlarmWindow(List.of(), List.of())
            : s.alarms().watch(env, names, since);
    List<String> fired = window.firedDuringWindow();
    Instant ends = since.plusSeconds(windowSeconds);
    boolean ended = !now.isBefore(ends);
    long remaining = Math.max(1, Duration.between(now, ends).toSeconds());
    DeployerResult.AlarmsChecked out =
        new DeployerResult.AlarmsChecked(
            fired.isEmpty() ? DeployerResult.AlarmState.OK : DeployerResult.AlarmState.ALARM,
            fired,
            window.transitions(),
            ended,
            Math.min(CHECK_INTERVAL.toSeconds(), remaining));

    boolean opening = Duration.between(since, now).compareTo(CHECK_INTERVAL) < 0;
    boolean closing = !fired.isEmpty() || ended;
    if (opening || closing) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("phase", cmd.phase().name());
      details.put("environment", env.name());
      details.put("since", TransitionPlanner.iso(since));
      details.put("until", TransitionPlanner.iso(now));
      details.put("window_seconds", Long.toString(windowSeconds));
      details.put("state", out.state().name());
      details.put("alarms_in_alarm", jsonStrings(fired));
      details.put("alarm_transitions", jsonTransitions(window.transitions()));
      s.ledger()
          .transition(
              new TransitionRequest(
                  req.key(),
                  req.actor(),
                  closing ? "AlarmWindowChecked" : "AlarmWindowOpened",
                  List.of(),
                  null,
                  null,
                  null,
                  details));
    }
    return out;
  }

  /** The audit entry keeps the lists as the JSON text the state machine was answered with. */
  private static String jsonStrings(List<String> values) {
    ArrayNode a = Json.mapper().createArrayNode();
    values.forEach(a::add);
    return a.toString();
  }

  private static String jsonTransitions(List<AlarmMonitor.AlarmTransition> transitions) {
    ArrayNode a = Json.mapper().createArrayNode();
    for (AlarmMonitor.AlarmTransition t : transitions) {
      a.addObject()
          .put("alarm_name", t.alarmName())
          .put("at", TransitionPlanner.iso(t.at()))
          .put("old_state", t.oldState())
          .put("new_state", t.newState());
    }
    return a.toString();
  }
}
