package dev.cairn.core.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** {@code global_health_status}. */
public enum HealthStatus {
  /** {@code healthy} */
  HEALTHY("healthy"),
  /** {@code degraded} */
  DEGRADED("degraded");

  private final String value;

  HealthStatus(String value) {
    this.value = value;
  }

  /** The spec's spelling, as stored in DynamoDB and audit entries. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Parses the spec's spelling; anything else is refused. */
  @JsonCreator
  public static HealthStatus of(String value) {
    for (HealthStatus v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown HealthStatus value: " + value);
  }

  @Override
  public String toString() {
    return value;
  }
}
