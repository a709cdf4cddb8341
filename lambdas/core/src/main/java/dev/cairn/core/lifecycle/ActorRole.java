package dev.cairn.core.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who may move an artifact: the CI publisher, the deploy pipeline, the sweeper, the finalizer, or
 * an operator through the signed override path.
 */
public enum ActorRole {
  /** {@code ci} */
  CI("ci"),
  /** {@code pipeline} */
  PIPELINE("pipeline"),
  /** {@code sweeper} */
  SWEEPER("sweeper"),
  /** {@code finalizer} */
  FINALIZER("finalizer"),
  /** {@code operator} */
  OPERATOR("operator");

  private final String value;

  ActorRole(String value) {
    this.value = value;
  }

  /** The spec's spelling, as stored in DynamoDB and audit entries. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Parses the spec's spelling; anything else is refused. */
  @JsonCreator
  public static ActorRole of(String value) {
    for (ActorRole v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown ActorRole value: " + value);
  }

  @Override
  public String toString() {
    return value;
  }
}
