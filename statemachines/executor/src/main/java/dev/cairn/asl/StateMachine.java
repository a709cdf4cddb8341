package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed, validated state machine definition (spec: "Structure of a State Machine"). It is
 * validated and typed once, here; {@link AslExecutor} runs the typed model and never reads the JSON
 * again. Validation rejects what Step Functions would reject at creation: unknown state types,
 * missing or dangling transitions, unreachable states, malformed Choice rules, misplaced {@code
 * States.ALL}.
 */
public final class StateMachine {
  private final String name;
  private final JsonNode definition;
  private final StateGraph graph;

  public StateMachine(String name, JsonNode definition) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name is required");
    }
    this.name = name;
    this.definition = definition.deepCopy();
    List<String> problems = new ArrayList<>();
    DefinitionValidator.validate(this.definition, "", problems);
    if (!problems.isEmpty()) {
      throw new AslDefinitionException(problems);
    }
    this.graph = ModelParser.parse(this.definition);
  }

  /** Parses and validates definition text. */
  public static StateMachine parse(String name, String text) {
    JsonNode node;
    try {
      node = Asl.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AslDefinitionException(e.getMessage());
    }
    return new StateMachine(name, node);
  }

  /** The name the execution ARNs and the context object ({@code $$.StateMachine.Name}) carry. */
  public String name() {
    return name;
  }

  /** The definition as written (a copy taken at construction). */
  public JsonNode definition() {
    return definition;
  }

  /** The state machine-level {@code TimeoutSeconds}, or 0 when absent. */
  public long timeoutSeconds() {
    return graph.timeoutSeconds();
  }

  /** The typed model the executor runs. */
  StateGraph graph() {
    return graph;
  }

  @Override
  public String toString() {
    return "StateMachine[name=" + name + "]";
  }
}
