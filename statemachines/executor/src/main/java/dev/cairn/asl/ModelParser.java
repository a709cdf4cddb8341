package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a definition {@link DefinitionValidator} accepted into the typed model, once per {@link
 * StateMachine}. It fills in the spec's defaults and rejects what only typing reveals (a Catcher's
 * ResultPath that is no Reference Path, a non-positive TimeoutSeconds); each problem names the
 * state and the field, and all are reported together.
 */
final class ModelParser {
  private final List<String> problems = new ArrayList<>();

  private ModelParser() {}

  /** The typed model of {@code definition}; throws {@link AslDefinitionException} otherwise. */
  static StateGraph parse(JsonNode definition) {
    ModelParser parser = new ModelParser();
    StateGraph graph = parser.graph(definition, "");
    if (!parser.problems.isEmpty()) {
      throw new AslDefinitionException(parser.problems);
    }
    return graph;
  }

  private StateGraph graph(JsonNode machine, String where) {
    Map<String, State> states = new LinkedHashMap<>();
    machine
        .get("States")
        .fields()
        .forEachRemaining(
            e ->
                states.put(
                    e.getKey(),
                    state(e.getKey(), e.getValue(), where + "state '" + e.getKey() + "': ")));
    return new StateGraph(
        machine.get("StartAt").asText(), states, machine.path("TimeoutSeconds").asLong(0));
  }

  private State state(String name, JsonNode s, String where) {
    IoPaths io = io(s, where);
    String next = s.path("End").asBoolean(false) ? null : s.path("Next").asText(null);
    return switch (s.get("Type").asText()) {
      case "Task" ->
          new State.Task(
              name,
              io,
              TaskResource.of(s.get("Resource").asText()),
              positiveSeconds(s, "TimeoutSeconds", where),
              positiveSeconds(s, "HeartbeatSeconds", where),
              retriers(s),
              catchers(s, where),
              next);
      case "Pass" ->
          new State.Pass(
              name,
              io,
              s.has("Result")
                  ? new PayloadTemplate.Literal(s.get("Result").deepCopy())
                  : PayloadTemplate.IDENTITY,
              next);
      case "Choice" -> choice(name, s, io);
      case "Wait" -> new State.Wait(name, io, waitUntil(s), next);
      case "Succeed" -> new State.Succeed(name, io);
      case "Fail" -> new State.Fail(name, io, fixedOrPath(s, "Error"), fixedOrPath(s, "Cause"));
      case "Parallel" -> parallel(name, s, io, where, next);
      case "Map" -> map(name, s, io, where, next);
      default -> throw new AslDefinitionException(where + "unknown Type " + s.get("Type"));
    };
  }

  private IoPaths io(JsonNode s, String where) {
    return new IoPaths(
        selection(s, "InputPath"),
        template(s, "Parameters"),
        template(s, "ResultSelector"),
        resultPath(s, where + "ResultPath"),
        selection(s, "OutputPath"));
  }

  private static IoPaths.Selection selection(JsonNode s, String field) {
    if (!s.has(field)) {
      return IoPaths.Selection.KEEP;
    }
    JsonNode p = s.get(field);
    return p.isNull() ? IoPaths.Selection.EMPTY : new IoPaths.Select(p.asText());
  }

  private static PayloadTemplate template(JsonNode s, String field) {
    return s.has(field) ? PayloadTemplate.compile(s.get(field)) : PayloadTemplate.IDENTITY;
  }

  private IoPaths.ResultPath resultPath(JsonNode holder, String where) {
    if (!holder.has("ResultPath")) {
      return IoPaths.ResultPath.REPLACE;
    }
    JsonNode p = holder.get("ResultPath");
    if (p.isNull()) {
      return IoPaths.ResultPath.DISCARD;
    }
    if (!p.isTextual() || !JsonPaths.isReferencePath(p.asText())) {
      problems.add(where + " is not a valid Reference Path: " + p);
    }
    return new IoPaths.At(p.asText());
  }

  /** TimeoutSeconds/HeartbeatSeconds, or the ...Path read when the task starts. */
  private FieldValue positiveSeconds(JsonNode s, String field, String where) {
    if (s.has(field)) {
      JsonNode v = s.get(field);
      if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() <= 0) {
        problems.add(where + field + " must be a positive integer");
      }
      return new FieldValue.Fixed(v);
    }
    return fixedOrPath(s, field);
  }

  private static FieldValue fixedOrPath(JsonNode s, String field) {
    if (s.has(field + "Path")) {
      return new FieldValue.FromPath(field, s.get(field + "Path").asText());
    }
    return s.has(field) ? new FieldValue.Fixed(s.get(field)) : FieldValue.ABSENT;
  }

  private static List<Retrier> retriers(JsonNode s) {
    List<Retrier> out = new ArrayList<>();
    for (JsonNode r : s.path("Retry")) {
      out.add(
          new Retrier(
              errorEquals(r),
              r.path("IntervalSeconds").asDouble(1.0),
              r.path("MaxAttempts").asInt(3),
              r.path("BackoffRate").asDouble(2.0),
              r.has("MaxDelaySeconds")
                  ? r.get("MaxDelaySeconds").asDouble()
                  : Double.POSITIVE_INFINITY,
              "FULL".equals(r.path("JitterStrategy").asText("NONE"))));
    }
    return out;
  }

  private List<Catcher> catchers(JsonNode s, String where) {
    List<Catcher> out = new ArrayList<>();
    int k = 0;
    for (JsonNode c : s.path("Catch")) {
      out.add(
          new Catcher(
              errorEquals(c),
              resultPath(c, where + "Catch[" + k++ + "].ResultPath"),
              c.get("Next").asText()));
    }
    return out;
  }

  private static ErrorEquals errorEquals(JsonNode holder) {
    List<String> names = new ArrayList<>();
    holder.get("ErrorEquals").forEach(e -> names.add(e.asText()));
    return new ErrorEquals(names);
  }

  private static State.Choice choice(String name, JsonNode s, IoPaths io) {
    List<ChoiceRule.Branch> choices = new ArrayList<>();
    for (JsonNode rule : s.get("Choices")) {
      choices.add(new ChoiceRule.Branch(ChoiceRules.parse(rule), rule.get("Next").asText()));
    }
    return new State.Choice(name, io, choices, s.path("Default").asText(null));
  }

  private static WaitUntil waitUntil(JsonNode s) {
    if (s.has("Seconds")) {
      return new WaitUntil.Seconds(s.get("Seconds").asLong());
    }
    if (s.has("Timestamp")) {
      return new WaitUntil.Timestamp(Asl.parseTimestamp(s.get("Timestamp").asText()).orElseThrow());
    }
    if (s.has("SecondsPath")) {
      return new WaitUntil.SecondsPath(s.get("SecondsPath").asText());
    }
    return new WaitUntil.TimestampPath(s.get("TimestampPath").asText());
  }

  private State.Parallel parallel(String name, JsonNode s, IoPaths io, String where, String next) {
    List<StateGraph> branches = new ArrayList<>();
    int k = 0;
    for (JsonNode b : s.get("Branches")) {
      branches.add(graph(b, where + "branch " + k++ + ": "));
    }
    return new State.Parallel(name, io, branches, retriers(s), catchers(s, where), next);
  }

  private State.Map map(String name, JsonNode s, IoPaths io, String where, String next) {
    JsonNode processor = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
    PayloadTemplate selector =
        s.has("ItemSelector") ? template(s, "ItemSelector") : template(s, "Parameters");
    // Parameters is the Map's legacy ItemSelector; it does not template the Map's own input.
    IoPaths mapIo =
        new IoPaths(
            io.inputPath(),
            PayloadTemplate.IDENTITY,
            io.resultSelector(),
            io.resultPath(),
            io.outputPath());
    return new State.Map(
        name,
        mapIo,
        graph(processor, where + "ItemProcessor: "),
        s.path("ItemsPath").asText("$"),
        selector,
        (int) Math.max(0, s.path("MaxConcurrency").asLong(0)),
        percentOrCount(s, "ToleratedFailurePercentage"),
        percentOrCount(s, "ToleratedFailureCount"),
        s.has("ItemReader"),
        retriers(s),
        catchers(s, where),
        next);
  }

  /** Map tolerances: the value as written wins over its Path, as the executor always read it. */
  private static FieldValue percentOrCount(JsonNode s, String field) {
    if (s.has(field)) {
      return new FieldValue.Fixed(s.get(field));
    }
    return fixedOrPath(s, field);
  }
}
