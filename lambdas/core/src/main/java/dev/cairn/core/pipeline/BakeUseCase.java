package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.ledger.TransitionRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

  public ObjectNode checkAlarms(PipelineRequest req) {
    EnvironmentPolicy env = s.chain().get(req.environment());
    List<String> names = new ArrayList<>();
    req.node("alarm_names").forEach(n -> names.add(n.asText()));
    if (names.isEmpty()) {
      names.addAll(env.alarmNames());
    }
    Instant since = instant(req.required("since"));
    // Without window_seconds the call is a single look at a window that ends now.
    long windowSeconds = req.node("window_seconds").asLong(0);
    String phase = req.text("phase") == null ? "bake" : req.text("phase");
    Instant now = s.clock().instant();
    AlarmMonitor.AlarmWindow window =
        names.isEmpty()
            ? new AlarmMonitor.AlarmWindow(List.of(), List.of())
            : s.alarms().watch(env, names, since);
    List<String> fired = window.firedDuringWindow();
    Instant ends = since.plusSeconds(windowSeconds);
    boolean ended = !now.isBefore(ends);
    long remaining = Math.max(1, Duration.between(now, ends).toSeconds());

    ObjectNode out = Json.object();
    out.put("state", fired.isEmpty() ? "OK" : "ALARM");
    ArrayNode firing = out.putArray("alarms_in_alarm");
    fired.forEach(firing::add);
    ArrayNode transitions = out.putArray("transitions");
    for (AlarmMonitor.AlarmTransition t : window.transitions()) {
      transitions
          .addObject()
          .put("alarm_name", t.alarmName())
          .put("at", TransitionPlanner.iso(t.at()))
          .put("old_state", t.oldState())
          .put("new_state", t.newState());
    }
    out.put("window_ended", ended);
    out.put("next_check_seconds", Math.min(CHECK_INTERVAL.toSeconds(), remaining));

    boolean opening = Duration.between(since, now).compareTo(CHECK_INTERVAL) < 0;
    boolean closing = !fired.isEmpty() || ended;
    if (opening || closing) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("phase", phase);
      details.put("environment", env.name());
      details.put("since", TransitionPlanner.iso(since));
      details.put("until", TransitionPlanner.iso(now));
      details.put("window_seconds", Long.toString(windowSeconds));
      details.put("state", out.get("state").asText());
      details.put("alarms_in_alarm", firing.toString());
      details.put("alarm_transitions", transitions.toString());
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

  private static Instant instant(String iso) {
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("since is not an ISO-8601 instant: " + iso, e);
    }
  }
}
