package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** {@code check_alarms}: after the bake period, are any of the environment's alarms in ALARM? */
public final class BakeUseCase {

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
    List<String> firing = names.isEmpty() ? List.of() : s.alarms().inAlarm(env, names);
    ObjectNode out = Json.object();
    out.put("state", firing.isEmpty() ? "OK" : "ALARM");
    firing.forEach(out.putArray("alarms_in_alarm")::add);
    if (!out.has("alarms_in_alarm")) {
      out.putArray("alarms_in_alarm");
    }
    return out;
  }
}
