package dev.cairn.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepDecisionTest {

  final TestWorld w = new TestWorld();
  final SweepConfig config = SweepConfig.defaults(TestWorld.CANDIDATE, TestWorld.RELEASE);

  ArtifactRecord candidate() {
    return w.ledger.find(w.publish()).orElseThrow();
  }

  SweepDecision at(ArtifactRecord r, Duration after) {
    return SweepDecision.decide(r, w.chain, config, TestWorld.T0.plus(after));
  }

  @Test
  void decide_whenCandidatePendingWithinGrace_isNothingDue() {
    assertThat(at(candidate(), Duration.ofMinutes(4))).isInstanceOf(SweepDecision.NothingDue.class);
  }

  @Test
  void decide_whenCandidatePendingPastGrace_startsFirstEnvironmentFromCandidateBucket() {
    assertThat(at(candidate(), Duration.ofMinutes(5)))
        .isEqualTo(new SweepDecision.StartMissed("stage", TestWorld.CANDIDATE));
  }

  @Test
  void decide_whenPromotedAndNextPending_startsItFromReleaseBucket() {
    ArtifactRecord c = candidate();
    ArtifactRecord r =
        c.toBuilder()
            .status(ArtifactStatus.PROMOTED)
            .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
            .environment("prod", c.environment("prod").withStatus(EnvironmentStatus.PENDING))
            .build();
    assertThat(at(r, Duration.ofMinutes(6)))
        .isEqualTo(new SweepDecision.StartMissed("prod", TestWorld.RELEASE));
  }

  @Test
  void decide_whenDeployingInFlightPast65Minutes_isStuck() {
    ArtifactRecord c = candidate();
    ArtifactRecord r =
        c.toBuilder()
            .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYING))
            .executionStartedAt(TestWorld.T0)
            .updatedAt(TestWorld.T0)
            .build();
    assertThat(at(r, Duration.ofMinutes(65))).isInstanceOf(SweepDecision.Slow.class);
    assertThat(at(r, Duration.ofMinutes(66))).isInstanceOf(SweepDecision.Stuck.class);
  }

  @Test
  void decide_whenFinalEnvironmentBakes_allowsTheBakeOnTopOf65Minutes() {
    ArtifactRecord c = candidate();
    ArtifactRecord r =
        c.toBuilder()
            .status(ArtifactStatus.PROMOTED)
            .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
            .environment(
                "prod",
                c.environment("prod")
                    .withStatus(EnvironmentStatus.DEPLOYED)
                    .withTestStatus(TestStatus.TEST_RUNNING))
            .executionStartedAt(TestWorld.T0)
            .updatedAt(TestWorld.T0)
            .build();
    assertThat(at(r, Duration.ofMinutes(74))).isInstanceOf(SweepDecision.Slow.class);
    assertThat(at(r, Duration.ofMinutes(76)))
        .isEqualTo(new SweepDecision.Stuck("prod", Duration.ofMinutes(76), Duration.ofMinutes(75)));
  }

  @Test
  void decide_whenFinalEnvironmentWatches_allowsBakeAndPostDeployWatchOnTopOf65Minutes() {
    EnvironmentChain watched =
        new EnvironmentChain(
            List.of(
                TestWorld.env("stage", "111111111111", 0),
                new EnvironmentPolicy(
                    "prod",
                    "222222222222",
                    "us-east-1",
                    "arn:aws:iam::222222222222:role/cairn-prod-deploy",
                    "arn:aws:iam::222222222222:role/cairn-prod-cfn-exec",
                    "arn:aws:iam::222222222222:role/cairn-prod-readonly",
                    false,
                    "prod-tests",
                    600,
                    List.of(),
                    0,
                    null,
                    300)));
    ArtifactRecord r = inProdTests(candidate()).build();
    Instant now = TestWorld.T0.plus(Duration.ofMinutes(79));
    assertThat(SweepDecision.decide(r, watched, config, now))
        .isInstanceOf(SweepDecision.Slow.class);
    assertThat(SweepDecision.decide(r, watched, config, now.plus(Duration.ofMinutes(2))))
        .isEqualTo(new SweepDecision.Stuck("prod", Duration.ofMinutes(81), Duration.ofMinutes(80)));
  }

  /**
   * The record's execution_allowance_seconds only places it on the sweep index; a record claiming a
   * day (another principal could have written it) does not hold the watchdog off.
   */
  @Test
  void decide_whenTheRecordClaimsALongerAllowance_measuresAgainstTheConfigurationsOwn() {
    Duration allowed = w.chain.inFlightAllowance("prod");
    ArtifactRecord r = inProdTests(candidate()).executionAllowanceSeconds(24 * 3600L).build();
    assertThat(at(r, allowed.minusMinutes(1))).isInstanceOf(SweepDecision.Slow.class);
    assertThat(at(r, allowed.plusMinutes(1)))
        .isEqualTo(new SweepDecision.Stuck("prod", allowed.plusMinutes(1), allowed));
  }

  @Test
  void decide_whenLedgerWrittenEveryTenMinutesFor70Minutes_isStuck() {
    ArtifactRecord c = candidate();
    ArtifactRecord r =
        c.toBuilder()
            .environment(
                "stage",
                c.environment("stage")
                    .withStatus(EnvironmentStatus.DEPLOYED)
                    .withTestStatus(TestStatus.TEST_RUNNING))
            .executionStartedAt(TestWorld.T0)
            // the last of the writes at minutes 10, 20, ..., 60
            .updatedAt(TestWorld.T0.plus(Duration.ofMinutes(60)))
            .build();
    assertThat(at(r, Duration.ofMinutes(70)))
        .isEqualTo(
            new SweepDecision.Stuck("stage", Duration.ofMinutes(70), Duration.ofMinutes(65)));
  }

  @Test
  void decide_whenStartedSixtyMinutesAgo_isSlow() {
    ArtifactRecord c = candidate();
    ArtifactRecord r =
        c.toBuilder()
            .environment(
                "stage",
                c.environment("stage")
                    .withStatus(EnvironmentStatus.DEPLOYED)
                    .withTestStatus(TestStatus.TEST_RUNNING))
            .executionStartedAt(TestWorld.T0)
            .updatedAt(TestWorld.T0.plus(Duration.ofMinutes(1)))
            .build();
    assertThat(at(r, Duration.ofMinutes(60)))
        .isEqualTo(new SweepDecision.Slow("stage", Duration.ofMinutes(60), Duration.ofMinutes(65)));
  }

  @Test
  void decide_whenStuckRollbackWasLeftForAnOperator_isNothingDue() {
    ArtifactRecord c = candidate();
    ArtifactRecord r =
        c.toBuilder()
            .status(ArtifactStatus.ROLLBACK_INITIATED)
            .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
            .environment(
                "prod", c.environment("prod").withStatus(EnvironmentStatus.ROLLBACK_INITIATED))
            .executionStartedAt(TestWorld.T0)
            .build();
    assertThat(at(r, Duration.ofMinutes(100))).isInstanceOf(SweepDecision.Stuck.class);
    ArtifactRecord flagged =
        r.toBuilder()
            .executionStatus(ExecutionStatus.KILLED)
            .manualInterventionRequired(true)
            .build();
    assertThat(at(flagged, Duration.ofMinutes(100))).isInstanceOf(SweepDecision.NothingDue.class);
  }

  private static ArtifactRecord.Builder inProdTests(ArtifactRecord c) {
    return c.toBuilder()
        .status(ArtifactStatus.PROMOTED)
        .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
        .environment(
            "prod",
            c.environment("prod")
                .withStatus(EnvironmentStatus.DEPLOYED)
                .withTestStatus(TestStatus.TEST_RUNNING))
        .executionStartedAt(TestWorld.T0)
        .updatedAt(TestWorld.T0);
  }

  @Test
  void decide_whenLiveEntryWithinSevenDaysOfExpiry_refreshesTtlFromNow() {
    ArtifactRecord c = candidate();
    Instant now = TestWorld.T0.plus(Duration.ofDays(80));
    ArtifactRecord r =
        c.toBuilder()
            .status(ArtifactStatus.PROMOTED)
            .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
            .expireAt(TestWorld.T0.plus(Duration.ofDays(86)).getEpochSecond())
            .build();
    assertThat(SweepDecision.decide(r, w.chain, config, now))
        .isEqualTo(new SweepDecision.RefreshTtl(now.plus(Duration.ofDays(90)).getEpochSecond()));
    assertThat(SweepDecision.decide(r, w.chain, config, TestWorld.T0))
        .isInstanceOf(SweepDecision.NothingDue.class);
  }

  @Test
  void executionName_isDeterministicPerVersion_andValidForStepFunctions() {
    String a = SweepDecision.executionName("stage", TestWorld.COMMIT, 3);
    assertThat(a).isEqualTo("sweep-stage-4f2a9c1e0b3d-v3");
    assertThat(SweepDecision.executionName("stage", TestWorld.COMMIT, 3)).isEqualTo(a);
    assertThat(SweepDecision.executionName("stage", TestWorld.COMMIT, 4)).isNotEqualTo(a);
    assertThat(a).matches("[A-Za-z0-9_-]{1,80}");
  }

  @Test
  void neverPromoted_whenCandidateOlderThanConfiguredDays() {
    ArtifactRecord c = candidate();
    assertThat(SweepDecision.neverPromoted(c, config, TestWorld.T0.plus(Duration.ofDays(6))))
        .isFalse();
    assertThat(SweepDecision.neverPromoted(c, config, TestWorld.T0.plus(Duration.ofDays(8))))
        .isTrue();
  }
}
