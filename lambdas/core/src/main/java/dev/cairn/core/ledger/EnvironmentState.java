package dev.cairn.core.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import java.time.Instant;

/**
 * One value of {@code environment_states}. The spec's {@code stage_deploy_duration_seconds} (and
 * its kin) live here as {@code deploy_duration_seconds}/{@code test_duration_seconds}, because
 * environments come from configuration and are not fixed to stage and prod.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentState(
    @JsonProperty("status") EnvironmentStatus status,
    @JsonProperty("test_status") TestStatus testStatus,
    @JsonProperty("region") String region,
    @JsonProperty("deploy_started_at") @LedgerTime.Iso Instant deployStartedAt,
    @JsonProperty("deploy_completed_at") @LedgerTime.Iso Instant deployCompletedAt,
    @JsonProperty("test_started_at") @LedgerTime.Iso Instant testStartedAt,
    @JsonProperty("test_completed_at") @LedgerTime.Iso Instant testCompletedAt,
    @JsonProperty("deployment_id") String deploymentId,
    @JsonProperty("deploy_duration_seconds") Long deployDurationSeconds,
    @JsonProperty("test_duration_seconds") Long testDurationSeconds) {

  public EnvironmentState {
    if (status == null || testStatus == null) {
      throw new IllegalArgumentException("status and test_status are required");
    }
    deployStartedAt = LedgerTime.millis(deployStartedAt);
    deployCompletedAt = LedgerTime.millis(deployCompletedAt);
    testStartedAt = LedgerTime.millis(testStartedAt);
    testCompletedAt = LedgerTime.millis(testCompletedAt);
  }

  /** A fresh environment: {@code status}, {@code not_tested}, in {@code region}. */
  public static EnvironmentState initial(EnvironmentStatus status, String region) {
    return new EnvironmentState(
        status, TestStatus.NOT_TESTED, region, null, null, null, null, null, null, null);
  }

  public EnvironmentState withStatus(EnvironmentStatus s) {
    return new EnvironmentState(
        s,
        testStatus,
        region,
        deployStartedAt,
        deployCompletedAt,
        testStartedAt,
        testCompletedAt,
        deploymentId,
        deployDurationSeconds,
        testDurationSeconds);
  }

  public EnvironmentState withTestStatus(TestStatus t) {
    return new EnvironmentState(
        status,
        t,
        region,
        deployStartedAt,
        deployCompletedAt,
        testStartedAt,
        testCompletedAt,
        deploymentId,
        deployDurationSeconds,
        testDurationSeconds);
  }

  public EnvironmentState withDeployTimes(
      Instant startedAt, Instant completedAt, Long durationSeconds) {
    return new EnvironmentState(
        status,
        testStatus,
        region,
        startedAt,
        completedAt,
        testStartedAt,
        testCompletedAt,
        deploymentId,
        durationSeconds,
        testDurationSeconds);
  }

  public EnvironmentState withTestTimes(
      Instant startedAt, Instant completedAt, Long durationSeconds) {
    return new EnvironmentState(
        status,
        testStatus,
        region,
        deployStartedAt,
        deployCompletedAt,
        startedAt,
        completedAt,
        deploymentId,
        deployDurationSeconds,
        durationSeconds);
  }

  public EnvironmentState withDeploymentId(String id) {
    return new EnvironmentState(
        status,
        testStatus,
        region,
        deployStartedAt,
        deployCompletedAt,
        testStartedAt,
        testCompletedAt,
        id,
        deployDurationSeconds,
        testDurationSeconds);
  }

  /**
   * An execution is working on this environment: deploying, rolling back, or running its tests. The
   * sweep index's due time and the sweeper's watchdog both start from this.
   */
  public boolean executionInFlight() {
    return status == EnvironmentStatus.DEPLOYING
        || status == EnvironmentStatus.ROLLBACK_INITIATED
        || testStatus == TestStatus.TEST_RUNNING;
  }
}
