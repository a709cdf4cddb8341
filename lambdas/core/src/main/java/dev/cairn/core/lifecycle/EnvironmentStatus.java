package dev.cairn.core.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code environment_states.<env>.status}. The spec's {@code rollback_*} is {@code
 * rollback_initiated}, {@code rollback_succeeded}, {@code rollback_failed}; {@code failed} is the
 * deploy-failure state.
 */
public enum EnvironmentStatus {
  /** {@code not_deployed} */
  NOT_DEPLOYED("not_deployed"),
  /** {@code pending} */
  PENDING("pending"),
  /** {@code deploying} */
  DEPLOYING("deploying"),
  /** {@code deployed} */
  DEPLOYED("deployed"),
  /** {@code failed} */
  FAILED("failed"),
  /** {@code rollback_initiated} */
  ROLLBACK_INITIATED("rollback_initiated"),
  /** {@code rollback_succeeded} */
  ROLLBACK_SUCCEEDED("rollback_succeeded"),
  /** {@code rollback_failed} */
  ROLLBACK_FAILED("rollback_failed");

  private final String value;

  EnvironmentStatus(String value) {
    this.value = value;
  }

  /** The spec's spelling, as stored in DynamoDB and audit entries. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Parses the spec's spelling; anything else is refused. */
  @JsonCreator
  public static EnvironmentStatus of(String value) {
    for (EnvironmentStatus v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown EnvironmentStatus value: " + value);
  }

  @Override
  public String toString() {
    return value;
  }
}
