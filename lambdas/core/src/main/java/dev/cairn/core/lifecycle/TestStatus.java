package dev.cairn.core.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** {@code environment_states.<env>.test_status}. */
public enum TestStatus {
  /** {@code not_tested} */
  NOT_TESTED("not_tested"),
  /** {@code test_running} */
  TEST_RUNNING("test_running"),
  /** {@code test_passed} */
  TEST_PASSED("test_passed"),
  /** {@code test_failed} */
  TEST_FAILED("test_failed");

  private final String value;

  TestStatus(String value) {
    this.value = value;
  }

  /** The spec's spelling, as stored in DynamoDB and audit entries. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Parses the spec's spelling; anything else is refused. */
  @JsonCreator
  public static TestStatus of(String value) {
    for (TestStatus v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown TestStatus value: " + value);
  }

  @Override
  public String toString() {
    return value;
  }
}
