package dev.cairn.core.lifecycle;

/**
 * One move of one lifecycle field, from the value the caller saw to the value it wants. The move is
 * refused unless the table allows it for the actor's role and the record still holds {@code from}.
 *
 * @param field which field
 * @param environment the environment name, or null for {@link StateField#STATUS}
 * @param from the expected current value (the spec's spelling)
 * @param to the new value (the spec's spelling)
 */
public record StateChange(StateField field, String environment, String from, String to) {

  public StateChange {
    if (field == null || from == null || to == null) {
      throw new IllegalArgumentException("field, from and to are required");
    }
    if ((field == StateField.STATUS) != (environment == null)) {
      throw new IllegalArgumentException("environment is required exactly for environment fields");
    }
    // Validate the spellings now: an unknown value is a programming error, not a refusal.
    switch (field) {
      case STATUS -> {
        ArtifactStatus.of(from);
        ArtifactStatus.of(to);
      }
      case ENVIRONMENT_STATUS -> {
        EnvironmentStatus.of(from);
        EnvironmentStatus.of(to);
      }
      case TEST_STATUS -> {
        TestStatus.of(from);
        TestStatus.of(to);
      }
    }
  }

  public static StateChange status(ArtifactStatus from, ArtifactStatus to) {
    return new StateChange(StateField.STATUS, null, from.value(), to.value());
  }

  public static StateChange environment(String env, EnvironmentStatus from, EnvironmentStatus to) {
    return new StateChange(StateField.ENVIRONMENT_STATUS, env, from.value(), to.value());
  }

  public static StateChange test(String env, TestStatus from, TestStatus to) {
    return new StateChange(StateField.TEST_STATUS, env, from.value(), to.value());
  }

  /** The attribute path, e.g. {@code environment_states.stage.test_status}. */
  public String path() {
    return switch (field) {
      case STATUS -> "status";
      case ENVIRONMENT_STATUS -> "environment_states." + environment + ".status";
      case TEST_STATUS -> "environment_states." + environment + ".test_status";
    };
  }

  @Override
  public String toString() {
    return path() + ": " + from + " -> " + to;
  }
}
