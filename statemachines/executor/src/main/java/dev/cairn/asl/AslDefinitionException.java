package dev.cairn.asl;

import java.util.List;

/** The state machine definition is invalid; it cannot be executed. */
public final class AslDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public AslDefinitionException(List<String> problems) {
    super("invalid state machine definition: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public AslDefinitionException(String problem) {
    this(List.of(problem));
  }

  /** Each problem found, in definition order. */
  public List<String> problems() {
    return problems;
  }
}
