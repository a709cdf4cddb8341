package dev.cairn.sandbox;

import java.util.Arrays;
import java.util.List;

/** The sandbox scenarios (issue 5's table), by their command-line names. */
public enum Scenario {
  HAPPY("happy", "status=promoted; prod deployed with test_passed"),
  TAMPERED(
      "tampered",
      "a file is changed after signing: rejected, InvalidArtifact, no change set anywhere"),
  STAGE_DEPLOY_FAILS("stage-deploy-fails", "stage failed, status stays candidate, DeployFailed"),
  STAGE_TESTS_FAIL("stage-tests-fail", "stage test_failed, status rejected"),
  PROD_SMOKE_FAILS(
      "prod-smoke-fails",
      "a good commit is live; the next one fails smoke tests and is rolled back"),
  ROLLBACK_EXHAUSTED(
      "rollback-exhausted",
      "every rollback attempt fails: rollback_failed, manual intervention, critical alert"),
  PROD_DRIFT(
      "prod-drift",
      "prod has drifted: aborted before any prod change set runs; stack_drift_detected"),
  DUPLICATE_EVENT("duplicate-event", "the same S3 event three times: exactly one deploy");

  private final String wireName;
  private final String description;

  Scenario(String wireName, String description) {
    this.wireName = wireName;
    this.description = description;
  }

  public String wireName() {
    return wireName;
  }

  public String description() {
    return description;
  }

  /** Parses a command-line name. */
  public static Scenario of(String name) {
    for (Scenario s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario \"" + name + "\"; one of " + names());
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Scenario::wireName).toList();
  }
}
