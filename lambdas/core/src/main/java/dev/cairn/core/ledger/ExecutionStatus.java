package dev.cairn.core.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** {@code execution_status} of the Step Functions execution working on the artifact. */
public enum ExecutionStatus {
  /** {@code running} */
  RUNNING("running"),
  /** {@code succeeded} */
  SUCCEEDED("succeeded"),
  /** {@code failed} */
  FAILED("failed"),
  /** {@code timeout} */
  TIMEOUT("timeout"),
  /** {@code killed} */
  KILLED("killed");

  private final String value;

  ExecutionStatus(String value) {
    this.value = value;
  }

  /** The spec's spelling, as stored in DynamoDB and audit entries. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Parses the spec's spelling; anything else is refused. */
  @JsonCreator
  public static ExecutionStatus of(String value) {
    for (ExecutionStatus v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown ExecutionStatus value: " + value);
  }

  @Override
  public String toString() {
    return value;
  }
}
