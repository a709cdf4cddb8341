package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rejects what Step Functions would reject at creation (spec "Structure of a State Machine"):
 * unknown state types, missing or dangling transitions, unreachable states, malformed Choice rules,
 * misplaced {@code States.ALL}. Each problem names the state (and branch) and the field. A
 * definition it accepts is one {@link ModelParser} can type.
 */
final class DefinitionValidator {
  static final Set<String> TYPES =
      Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");

  private DefinitionValidator() {}

  static void validate(JsonNode machine, String where, List<String> problems) {
    if (!machine.isObject()) {
      problems.add(where + "definition must be a JSON object");
      return;
    }
    JsonNode states = machine.get("States");
    String startAt = machine.path("StartAt").asText(null);
    if (states == null || !states.isObject() || states.isEmpty()) {
      problems.add(where + "States must be a non-empty object");
      return;
    }
    if ("JSONata".equals(machine.path("QueryLanguage").asText())) {
      problems.add(where + "QueryLanguage JSONata is not supported (JSONPath only)");
    }
    if (startAt == null) {
      problems.add(where + "StartAt is required");
    } else if (!states.has(startAt)) {
      problems.add(where + "StartAt '" + startAt + "' does not name a state");
    }
    if (machine.has("TimeoutSeconds")
        && !(machine.get("TimeoutSeconds").canConvertToLong()
            && machine.get("TimeoutSeconds").asLong() > 0)) {
      problems.add(where + "TimeoutSeconds must be a positive integer");
    }
    Map<String, List<String>> edges = new java.util.HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = states.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (name.length() > 80) {
        problems.add(where + "state name longer than 80 characters: " + name);
      }
      List<String> next = new ArrayList<>();
      validateState(name, e.getValue(), states, where + "state '" + name + "': ", problems, next);
      edges.put(name, next);
    }
    if (startAt != null && states.has(startAt)) {
      Set<String> seen = new HashSet<>();
      Deque<String> todo = new ArrayDeque<>(List.of(startAt));
      while (!todo.isEmpty()) {
        String s = todo.pop();
        if (seen.add(s)) {
          edges.getOrDefault(s, List.of()).forEach(todo::push);
        }
      }
      states
          .fieldNames()
          .forEachRemaining(
              s -> {
                if (!seen.contains(s)) {
                  problems.add(where + "state '" + s + "' is not reachable from StartAt");
                }
              });
    }
  }

  private static void validateState(
      String name,
      JsonNode state,
      JsonNode states,
      String where,
      List<String> problems,
      List<String> next) {
    String type = state.path("Type").asText(null);
    if ("JSONata".equals(state.path("QueryLanguage").asText())) {
      problems.add(where + "QueryLanguage JSONata is not supported (JSONPath only)");
    }
    if (state.has("Assign")) {
      problems.add(where + "Assign (workflow variables) is not supported by the local executor");
    }
    if (type == null || !TYPES.contains(type)) {
      problems.add(where + "unknown or missing Type '" + type + "'");
      return;
    }
    boolean terminal = type.equals("Succeed") || type.equals("Fail") || type.equals("Choice");
    if (!terminal) {
      boolean hasNext = state.has("Next");
      boolean end = state.path("End").asBoolean(false);
      if (hasNext == end) {
        problems.add(where + "must have exactly one of Next or \"End\": true");
      }
    } else if (state.has("Next") || state.has("End")) {
      problems.add(where + type + " state must not have Next or End");
    }
    if (state.has("Next")) {
      transition(state.get("Next").asText(), states, where, problems, next);
    }
    switch (type) {
      case "Task":
        if (!state.path("Resource").isTextual()) {
          problems.add(where + "Task requires a Resource string");
        }
        if (state.has("TimeoutSeconds") && state.has("TimeoutSecondsPath")) {
          problems.add(where + "TimeoutSeconds and TimeoutSecondsPath are exclusive");
        }
        if (state.has("HeartbeatSeconds") && state.has("HeartbeatSecondsPath")) {
          problems.add(where + "HeartbeatSeconds and HeartbeatSecondsPath are exclusive");
        }
        checkRetryCatch(state, states, where, problems, next);
        break;
      case "Parallel":
        if (!state.path("Branches").isArray() || state.get("Branches").isEmpty()) {
          problems.add(where + "Parallel requires a non-empty Branches array");
        } else {
          int k = 0;
          for (JsonNode b : state.get("Branches")) {
            validate(b, where + "branch " + k++ + ": ", problems);
          }
        }
        checkRetryCatch(state, states, where, problems, next);
        break;
      case "Map":
        {
          JsonNode processor =
              state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
          if (processor == null) {
            problems.add(where + "Map requires an ItemProcessor (or Iterator)");
          } else {
            validate(processor, where + "ItemProcessor: ", problems);
          }
          if (state.has("ItemSelector") && state.has("Parameters")) {
            problems.add(where + "ItemSelector and Parameters are exclusive");
          }
          checkRetryCatch(state, states, where, problems, next);
          break;
        }
      case "Choice":
        {
          JsonNode choices = state.get("Choices");
          if (choices == null || !choices.isArray() || choices.isEmpty()) {
            problems.add(where + "Choice requires a non-empty Choices array");
          } else {
            for (JsonNode rule : choices) {
              if (!rule.has("Next")) {
                problems.add(where + "each Choice Rule requires Next");
              } else {
                transition(rule.get("Next").asText(), states, where, problems, next);
              }
              checkRule(rule, where, problems);
            }
          }
          if (state.has("Default")) {
            transition(state.get("Default").asText(), states, where, problems, next);
          }
          break;
        }
      case "Wait":
        {
          int n = 0;
          for (String f : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
            if (state.has(f)) {
              n++;
            }
          }
          if (n != 1) {
            problems.add(
                where
                    + "Wait requires exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
          }
          if (state.has("Timestamp")
              && Asl.parseTimestamp(state.get("Timestamp").asText()).isEmpty()) {
            problems.add(where + "Timestamp is not an RFC 3339 timestamp");
          }
          if (state.has("Seconds")
              && !(state.get("Seconds").canConvertToLong() && state.get("Seconds").asLong() >= 0)) {
            problems.add(where + "Seconds must be a non-negative integer");
          }
          break;
        }
      default:
        break;
    }
    for (String f : List.of("InputPath", "OutputPath")) {
      if (state.has(f) && !state.get(f).isNull() && !JsonPaths.isPath(state.get(f).asText())) {
        problems.add(where + f + " is not a valid Path");
      }
    }
    if (state.has("ResultPath")
        && !state.get("ResultPath").isNull()
        && !JsonPaths.isReferencePath(state.get("ResultPath").asText())) {
      problems.add(where + "ResultPath is not a valid Reference Path");
    }
  }

  private static void checkRule(JsonNode rule, String where, List<String> problems) {
    for (String combinator : List.of("And", "Or")) {
      if (rule.has(combinator)) {
        if (!rule.get(combinator).isArray() || rule.get(combinator).isEmpty()) {
          problems.add(where + combinator + " requires a non-empty array");
        } else {
          rule.get(combinator).forEach(r -> checkRule(r, where, problems));
        }
        return;
      }
    }
    if (rule.has("Not")) {
      checkRule(rule.get("Not"), where, problems);
      return;
    }
    if (!rule.has("Variable") || !JsonPaths.isPath(rule.get("Variable").asText())) {
      problems.add(where + "Choice Rule requires a Variable Path: " + rule);
    }
    int operators = 0;
    Iterator<String> names = rule.fieldNames();
    while (names.hasNext()) {
      if (ChoiceRules.OPERATORS.contains(names.next())) {
        operators++;
      }
    }
    if (operators != 1) {
      problems.add(where + "Choice Rule needs exactly one comparison operator: " + rule);
    }
  }

  private static void transition(
      String target, JsonNode states, String where, List<String> problems, List<String> next) {
    if (!states.has(target)) {
      problems.add(where + "transition to unknown state '" + target + "'");
    } else {
      next.add(target);
    }
  }

  private static void checkRetryCatch(
      JsonNode state, JsonNode states, String where, List<String> problems, List<String> next) {
    for (String field : List.of("Retry", "Catch")) {
      JsonNode list = state.get(field);
      if (list == null) {
        continue;
      }
      if (!list.isArray()) {
        problems.add(where + field + " must be an array");
        continue;
      }
      for (int k = 0; k < list.size(); k++) {
        JsonNode item = list.get(k);
        JsonNode errors = item.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
          problems.add(where + field + "[" + k + "] requires a non-empty ErrorEquals");
          continue;
        }
        for (JsonNode e : errors) {
          if (Asl.ALL.equals(e.asText()) && (errors.size() != 1 || k != list.size() - 1)) {
            problems.add(
                where + field + "[" + k + "]: States.ALL must appear alone in the last " + field);
          }
        }
        if (field.equals("Catch")) {
          if (!item.has("Next")) {
            problems.add(where + "Catch[" + k + "] requires Next");
          } else {
            transition(item.get("Next").asText(), states, where, problems, next);
          }
        } else {
          if (item.has("MaxAttempts") && item.get("MaxAttempts").asLong() < 0) {
            problems.add(where + "Retry[" + k + "].MaxAttempts must not be negative");
          }
          if (item.has("BackoffRate") && item.get("BackoffRate").asDouble() < 1.0) {
            problems.add(where + "Retry[" + k + "].BackoffRate must be at least 1.0");
          }
          if (item.has("IntervalSeconds") && item.get("IntervalSeconds").asLong() < 1) {
            problems.add(where + "Retry[" + k + "].IntervalSeconds must be at least 1");
          }
          String jitter = item.path("JitterStrategy").asText("NONE");
          if (!jitter.equals("FULL") && !jitter.equals("NONE")) {
            problems.add(where + "Retry[" + k + "].JitterStrategy must be FULL or NONE");
          }
        }
      }
    }
  }
}
