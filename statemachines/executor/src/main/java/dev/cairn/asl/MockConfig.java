package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Step Functions Local {@code MockConfigFile}: {@code StateMachines -> <name> -> TestCases ->
 * <case> -> {StateName: MockedResponseName}} and {@code MockedResponses -> <name> -> {"0": {Return:
 * ...}, "1-2": {Throw: {Error, Cause}}}}. Invocation indexes count every attempt of the state,
 * retries included, from 0.
 */
public record MockConfig(JsonNode document) {

  public MockConfig {
    if (document == null || !document.path("StateMachines").isObject()) {
      throw new IllegalArgumentException("mock config has no StateMachines object");
    }
    if (!document.path("MockedResponses").isObject()) {
      throw new IllegalArgumentException("mock config has no MockedResponses object");
    }
    document = document.deepCopy();
  }

  /** Reads a MockConfigFile. */
  public static MockConfig read(Path file) throws IOException {
    return new MockConfig(Asl.parse(Files.readString(file)));
  }

  /** The state machine names that define {@code testCase}. */
  public List<String> stateMachinesWithTestCase(String testCase) {
    List<String> names = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = document.get("StateMachines").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().path("TestCases").has(testCase)) {
        names.add(e.getKey());
      }
    }
    return names;
  }

  /** The mocks of one test case; fails when the state machine or test case is not defined. */
  public TaskMocks testCase(String stateMachine, String testCase) {
    JsonNode cases = document.get("StateMachines").path(stateMachine).path("TestCases");
    JsonNode mapping = cases.path(testCase);
    if (!mapping.isObject()) {
      throw new IllegalArgumentException(
          "mock config has no test case '"
              + testCase
              + "' for state machine '"
              + stateMachine
              + "'");
    }
    Map<String, List<Response>> byState = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = mapping.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String responseName = e.getValue().asText();
      JsonNode responses = document.get("MockedResponses").path(responseName);
      if (!responses.isObject()) {
        throw new IllegalArgumentException(
            "test case '" + testCase + "' names unknown mocked response '" + responseName + "'");
      }
      byState.put(e.getKey(), parseResponses(responseName, responses));
    }
    return new TaskMocks(byState);
  }

  private static List<Response> parseResponses(String name, JsonNode responses) {
    List<Response> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = responses.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      int from;
      int to;
      try {
        int dash = key.indexOf('-');
        from = Integer.parseInt(dash < 0 ? key : key.substring(0, dash));
        to = dash < 0 ? from : Integer.parseInt(key.substring(dash + 1));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "mocked response '" + name + "' has an invalid invocation key '" + key + "'");
      }
      JsonNode body = e.getValue();
      if (body.has("Return") == body.has("Throw")) {
        throw new IllegalArgumentException(
            "mocked response '" + name + "' key '" + key + "' needs exactly one of Return, Throw");
      }
      out.add(
          new Response(
              from,
              to,
              body.has("Return") ? body.get("Return") : null,
              body.path("Throw").path("Error").asText(null),
              body.path("Throw").path("Cause").asText(null)));
    }
    return out;
  }

  /** One mocked response, valid for invocations {@code from..to} (inclusive). */
  public record Response(int from, int to, JsonNode value, String error, String cause) {
    /** Returns the value or throws the error. */
    public JsonNode apply() {
      if (value != null) {
        return value.deepCopy();
      }
      throw new AslError(error, cause);
    }
  }

  /** The mocked states of one test case, with a per-state invocation counter. */
  public static final class TaskMocks {
    private final Map<String, List<Response>> byState;
    private final Map<String, Integer> invocations = new HashMap<>();

    TaskMocks(Map<String, List<Response>> byState) {
      this.byState = Map.copyOf(byState);
    }

    /** No mocks at all. */
    public static TaskMocks none() {
      return new TaskMocks(Map.of());
    }

    /** True when the state is mocked. */
    public boolean mocks(String stateName) {
      return byState.containsKey(stateName);
    }

    /**
     * The response for the state's next invocation. Past the last defined invocation, the last
     * response repeats.
     */
    public synchronized Optional<Response> next(String stateName) {
      List<Response> responses = byState.get(stateName);
      if (responses == null) {
        return Optional.empty();
      }
      int n = invocations.merge(stateName, 1, Integer::sum) - 1;
      Response last = null;
      for (Response r : responses) {
        if (n >= r.from() && n <= r.to()) {
          return Optional.of(r);
        }
        if (last == null || r.to() > last.to()) {
          last = r;
        }
      }
      return Optional.ofNullable(last);
    }

    /** Forgets the invocation counts, for a new execution. */
    public synchronized void reset() {
      invocations.clear();
    }
  }
}
