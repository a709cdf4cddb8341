package dev.cairn.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPolicyTest {

  static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  static ArtifactRecord candidate() {
    return CandidateRecords.candidate(
        new ArtifactKey("svc", "a".repeat(40)),
        "b".repeat(64),
        "s3://cdk-artifacts-candidate/svc/x/",
        Instant.parse("2026-11-22T09:00:00Z"),
        "2.1000.0",
        "c".repeat(64),
        null,
        true,
        null,
        "us-east-1",
        List.of(
            new CandidateRecords.Environment("stage", "us-east-1"),
            new CandidateRecords.Environment("prod", "us-east-1")));
  }

  @Test
  void due_whenCandidatePending_isFiveMinutesLater() {
    var due = SweepPolicy.due(candidate(), T).orElseThrow();
    assertThat(due.dueAtEpochSeconds()).isEqualTo(T.plusSeconds(300).getEpochSecond());
    assertThat(SweepPolicy.partitions()).contains(due.partition());
  }

  @Test
  void due_whenDeploying_isJustPastSixtyFiveMinutesAfterExecutionStart() {
    ArtifactRecord r = candidate();
    r =
        r.toBuilder()
            .environment("stage", r.environment("stage").withStatus(EnvironmentStatus.DEPLOYING))
            .executionStartedAt(Instant.parse("2026-11-22T09:50:00Z"))
            .build();
    assertThat(SweepPolicy.due(r, T).orElseThrow().dueAtEpochSeconds())
        .isEqualTo(Instant.parse("2026-11-22T10:55:01Z").getEpochSecond());
  }

  @Test
  void due_whenLeaseRecordedAnAllowance_isJustPastItFromExecutionStart() {
    ArtifactRecord r = candidate();
    r =
        r.toBuilder()
            .environment("stage", r.environment("stage").withStatus(EnvironmentStatus.DEPLOYING))
            .executionStartedAt(Instant.parse("2026-11-22T09:50:00Z"))
            .executionAllowanceSeconds(80 * 60L)
            .build();
    assertThat(SweepPolicy.due(r, T).orElseThrow().dueAtEpochSeconds())
        .isEqualTo(Instant.parse("2026-11-22T11:10:01Z").getEpochSecond());
  }

  @Test
  void due_whenStuckRollbackLeftForAnOperator_isNotDue() {
    ArtifactRecord r = candidate();
    r =
        r.toBuilder()
            .status(ArtifactStatus.ROLLBACK_INITIATED)
            .environment(
                "stage", r.environment("stage").withStatus(EnvironmentStatus.ROLLBACK_INITIATED))
            .executionStartedAt(Instant.parse("2026-11-22T09:50:00Z"))
            .executionStatus(dev.cairn.core.ledger.ExecutionStatus.KILLED)
            .manualInterventionRequired(true)
            .build();
    assertThat(SweepPolicy.due(r, T)).isEmpty();
  }

  @Test
  void due_whenCandidateIsStuckAfterAFailedStage_isADayAfterItsBuild_forArtifactNeverPromoted() {
    ArtifactRecord r =
        candidate().toBuilder()
            .environment(
                "stage", candidate().environment("stage").withStatus(EnvironmentStatus.FAILED))
            .build();
    assertThat(SweepPolicy.due(r, T).orElseThrow().dueAtEpochSeconds())
        .isEqualTo(Instant.parse("2026-11-23T09:00:00Z").getEpochSecond());
  }

  @Test
  void due_whenRejected_isNothing_soTheItemLeavesTheIndex() {
    ArtifactRecord r =
        candidate().toBuilder()
            .status(ArtifactStatus.REJECTED)
            .environment(
                "stage", candidate().environment("stage").withStatus(EnvironmentStatus.FAILED))
            .build();
    assertThat(SweepPolicy.due(r, T)).isEmpty();
    ArtifactRecord applied =
        SweepPolicy.apply(r.toBuilder().sweepDueAt(1L).sweepPartition("sweep#0").build(), T);
    assertThat(applied.sweepDueAt()).isNull();
    assertThat(applied.sweepPartition()).isNull();
  }

  @Test
  void expireAt_isBuildTimePlusNinetyDays() {
    assertThat(candidate().expireAt())
        .isEqualTo(Instant.parse("2027-02-20T09:00:00Z").getEpochSecond());
  }
}
