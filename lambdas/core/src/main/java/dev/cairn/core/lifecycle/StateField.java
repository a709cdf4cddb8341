package dev.cairn.core.lifecycle;

/** The three lifecycle fields the transition table governs. */
public enum StateField {
  /** {@code status}. */
  STATUS,
  /** {@code environment_states.<env>.status}. */
  ENVIRONMENT_STATUS,
  /** {@code environment_states.<env>.test_status}. */
  TEST_STATUS
}
