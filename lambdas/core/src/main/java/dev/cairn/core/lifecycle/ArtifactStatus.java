package dev.cairn.core.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The global {@code status} of an artifact (spec "Metadata Tracking"; {@code rollback_initiated}
 * from "Production Deployment").
 */
public enum ArtifactStatus {
  /** {@code candidate} */
  CANDIDATE("candidate"),
  /** {@code promoted} */
  PROMOTED("promoted"),
  /** {@code rejected} */
  REJECTED("rejected"),
  /** {@code rollback_initiated} */
  ROLLBACK_INITIATED("rollback_initiated"),
  /** {@code rollback_succeeded} */
  ROLLBACK_SUCCEEDED("rollback_succeeded"),
  /** {@code rollback_failed} */
  ROLLBACK_FAILED("rollback_failed");

  private final String value;

  ArtifactStatus(String value) {
    this.value = value;
  }

  /** The spec's spelling, as stored in DynamoDB and audit entries. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Parses the spec's spelling; anything else is refused. */
  @JsonCreator
  public static ArtifactStatus of(String value) {
    for (ArtifactStatus v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown ArtifactStatus value: " + value);
  }

  @Override
  public String toString() {
    return value;
  }
}
