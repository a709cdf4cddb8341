package dev.cairn.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepUseCaseTest {

  final TestWorld w = new TestWorld();
  static final Actor PIPELINE = new Actor(ActorRole.PIPELINE, "sfn");

  ArtifactRecord record(ArtifactKey key) {
    return w.ledger.find(key).orElseThrow();
  }

  void lease(ArtifactKey key, String env, String arn) {
    w.ledger.transition(
        new TransitionRequest(
            key,
            PIPELINE,
            "LeaseAcquired",
            List.of(
                StateChange.environment(
                    env, EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING)),
            b ->
                b.executionId(arn)
                    .executionStartedAt(w.clock.instant())
                    .executionAllowanceSeconds(w.chain.inFlightAllowance(env).toSeconds())
                    .executionStatus(ExecutionStatus.RUNNING),
            null,
            null,
            Map.of()));
  }

  @Test
  void sweep_whenUploadEventDropped_startsFirstEnvironmentOnceAfterGrace() {
    ArtifactKey key = w.publish();
    w.clock.advance(Duration.ofMinutes(4));
    assertThat(w.sweeper().sweep().started()).isZero();
    w.clock.advance(Duration.ofMinutes(2));
    SweepReport report = w.sweeper().sweep();
    assertThat(report.started()).isEqualTo(1);
    String name = SweepDecision.executionName("stage", key.commitSha(), record(key).version());
    assertThat(w.executions.started).containsExactly(name);
    assertThat(w.events).containsExactly("SweeperTriggered");
    assertThat(w.eventDetails.get(0).path("execution_name").asText()).isEqualTo(name);
    // The execution has not taken the lease yet: the next sweep must not start a second one.
    w.clock.advance(Duration.ofMinutes(2));
    SweepReport again = w.sweeper().sweep();
    assertThat(again.started()).isZero();
    assertThat(again.alreadyStarted()).isEqualTo(1);
    assertThat(w.executions.started).hasSize(1);
  }

  @Test
  void sweep_whenPendingEnvironmentAwaitsApprovals_startsAndWritesNothingUntilTheyCount() {
    ArtifactKey key = w.publish();
    long version = record(key).version();
    int[] approvals = {1};
    java.util.List<String> counted = new java.util.ArrayList<>();
    EnvironmentPolicy stage = TestWorld.env("stage", "111111111111", 0);
    EnvironmentChain chain =
        new EnvironmentChain(
            java.util.List.of(
                new EnvironmentPolicy(
                    stage.name(),
                    stage.account(),
                    stage.region(),
                    stage.deployRoleArn(),
                    stage.cloudFormationExecutionRoleArn(),
                    stage.readOnlyRoleArn(),
                    false,
                    stage.testsProject(),
                    0,
                    java.util.List.of(),
                    2,
                    null),
                TestWorld.env("prod", "222222222222", 600)));
    SweepUseCase sweeper =
        new SweepUseCase(
            w.ledger,
            w.store(),
            w.executions,
            (type, detail) -> w.events.add(type),
            w.metrics,
            chain,
            SweepConfig.defaults(TestWorld.CANDIDATE, TestWorld.RELEASE),
            (k, env, digest) -> {
              counted.add(env + ":" + digest);
              return approvals[0];
            },
            w.clock);

    for (int i = 0; i < 90; i++) {
      w.clock.advance(Duration.ofMinutes(2));
      SweepReport report = sweeper.sweep();
      assertThat(report.started()).isZero();
      assertThat(report.retried()).isZero();
    }
    assertThat(w.executions.started).isEmpty();
    assertThat(w.events).isEmpty();
    assertThat(record(key).version()).isEqualTo(version);
    // Counted against the record's digest, for the pending environment.
    assertThat(counted).isNotEmpty().allMatch(c -> c.equals("stage:" + "b".repeat(64)));

    approvals[0] = 2;
    w.clock.advance(Duration.ofMinutes(2));
    assertThat(sweeper.sweep().started()).isEqualTo(1);
  }

  @Test
  void sweep_whenStartedExecutionEndedWithoutLease_recordsRetryAndStartsUnderNewName() {
    ArtifactKey key = w.publish();
    w.clock.advance(Duration.ofMinutes(6));
    w.sweeper().sweep();
    String first = w.executions.started.get(0);
    w.executions.status.put(TestWorld.Executions.arn(first), "FAILED");
    w.clock.advance(Duration.ofMinutes(2));
    assertThat(w.sweeper().sweep().retried()).isEqualTo(1);
    assertThat(w.ledger.actions()).contains("SweeperStartRetry");
    w.clock.advance(Duration.ofMinutes(6));
    assertThat(w.sweeper().sweep().started()).isEqualTo(1);
    assertThat(w.executions.started).hasSize(2).doesNotHaveDuplicates();
    assertThat(record(key).environment("stage").status()).isEqualTo(EnvironmentStatus.PENDING);
  }

  @Test
  void sweep_whenArtifactMissingFromS3_recordsAndAlertsOnce_startsNothing() {
    ArtifactKey key = w.publish();
    w.missing.add(TestWorld.CANDIDATE);
    w.clock.advance(Duration.ofMinutes(6));
    assertThat(w.sweeper().sweep().missing()).isEqualTo(1);
    w.clock.advance(Duration.ofMinutes(6));
    assertThat(w.sweeper().sweep().missing()).isEqualTo(1);
    assertThat(w.executions.started).isEmpty();
    assertThat(w.events).containsExactly("ArtifactMissing");
    assertThat(w.ledger.actions()).containsOnlyOnce("ArtifactMissing");
    assertThat(record(key).integrityVerified()).isFalse();
  }

  @Test
  void sweep_whenExecutionInFlightFor65Minutes_stopsRequeuesAndEmits() {
    ArtifactKey key = w.publish();
    String arn = TestWorld.Executions.arn("s3-1");
    w.executions.status.put(arn, "RUNNING");
    lease(key, "stage", arn);
    w.clock.advance(Duration.ofMinutes(64));
    SweepReport early = w.sweeper().sweep();
    assertThat(early.due()).isZero(); // not on the index before 65 minutes
    w.clock.advance(Duration.ofMinutes(2));
    SweepReport report = w.sweeper().sweep();
    assertThat(report.stopped()).isEqualTo(1);
    assertThat(report.requeued()).isEqualTo(1);
    assertThat(w.executions.stopped).containsExactly(arn);
    assertThat(w.executions.stopErrors).containsExactly(SweepUseCase.STOP_ERROR);
    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.CANDIDATE);
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(r.environment("stage").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
    assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.KILLED);
    assertThat(w.ledger.audit().get(w.ledger.audit().size() - 1).actor().role())
        .isEqualTo(ActorRole.SWEEPER);
    assertThat(w.events).containsExactly("StuckPipelineTerminated", "SweeperCorrected");
    // Requeued: the sweeper starts it again once the missed-event grace has passed.
    w.clock.advance(Duration.ofMinutes(6));
    assertThat(w.sweeper().sweep().started()).isEqualTo(1);
    assertThat(w.eventDetails.get(w.eventDetails.size() - 1).path("reason").asText())
        .isEqualTo("requeued_after_stuck");
  }

  void deploySucceeded(ArtifactKey key, String env) {
    w.ledger.transition(
        TransitionRequest.of(
            key,
            PIPELINE,
            "DeploySucceeded",
            StateChange.environment(env, EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED),
            StateChange.test(env, TestStatus.NOT_TESTED, TestStatus.TEST_RUNNING)));
  }

  void progress(ArtifactKey key) {
    w.ledger.transition(
        new TransitionRequest(
            key, PIPELINE, "ExecutionProgress", List.of(), null, null, null, Map.of()));
  }

  @Test
  void sweep_whenExecutionWritesTheLedgerEveryTenMinutesFor70Minutes_stopsAndRequeuesItsTests() {
    ArtifactKey key = w.publish();
    String arn = TestWorld.Executions.arn("s3-1");
    w.executions.status.put(arn, "RUNNING");
    lease(key, "stage", arn);
    w.clock.advance(Duration.ofMinutes(10));
    deploySucceeded(key, "stage"); // tests run from minute 10
    for (int minute = 20; minute <= 60; minute += 10) {
      w.clock.advance(Duration.ofMinutes(10));
      progress(key);
      assertThat(w.sweeper().sweep().due()).isZero(); // writes keep it off the index until 65
    }
    w.clock.advance(Duration.ofMinutes(10)); // 70 minutes in flight, 10 quiet
    SweepReport report = w.sweeper().sweep();
    assertThat(report.stopped()).isEqualTo(1);
    assertThat(report.requeued()).isEqualTo(1);
    assertThat(w.executions.stopped).containsExactly(arn);
    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.CANDIDATE);
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(r.environment("stage").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
    assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.KILLED);
    assertThat(r.manualInterventionRequired()).isNotEqualTo(Boolean.TRUE);
    assertThat(w.events).containsExactly("StuckPipelineTerminated", "SweeperCorrected");
    assertThat(w.eventDetails.get(0).path("in_flight_minutes").asLong()).isEqualTo(70);
    assertThat(w.eventDetails.get(0).path("requeued").asBoolean()).isTrue();
    // The next sweep starts it again, from the candidate bucket.
    w.clock.advance(Duration.ofMinutes(2));
    assertThat(w.sweeper().sweep().started()).isEqualTo(1);
    assertThat(w.eventDetails.get(w.eventDetails.size() - 1).path("reason").asText())
        .isEqualTo("requeued_after_stuck");
  }

  @Test
  void sweep_whenStuckInProdTests_requeuesAsPromotedAndRestartsProd() {
    ArtifactKey key = w.publish();
    ArtifactRecord c = record(key);
    w.ledger.put(
        dev.cairn.core.ledger.SweepPolicy.apply(
            c.toBuilder()
                .status(ArtifactStatus.PROMOTED)
                .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
                .environment("prod", c.environment("prod").withStatus(EnvironmentStatus.PENDING))
                .build(),
            w.clock.instant()));
    String arn = TestWorld.Executions.arn("s3-2");
    lease(key, "prod", arn);
    deploySucceeded(key, "prod");
    // On the index exactly when the watchdog acts: 65 min + the 10-minute bake, then 1 s past.
    assertThat(record(key).sweepDueAt())
        .isEqualTo(w.clock.instant().plus(Duration.ofMinutes(75)).getEpochSecond() + 1);
    w.clock.advance(Duration.ofMinutes(74));
    assertThat(w.sweeper().sweep().due()).isZero();
    w.clock.advance(Duration.ofMinutes(2)); // 76 minutes in flight
    assertThat(w.sweeper().sweep().requeued()).isEqualTo(1);
    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.PROMOTED);
    assertThat(r.environment("prod").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(r.environment("prod").testStatus()).isEqualTo(TestStatus.NOT_TESTED);
    w.clock.advance(Duration.ofMinutes(2));
    assertThat(w.sweeper().sweep().started()).isEqualTo(1);
    assertThat(w.executions.started.get(w.executions.started.size() - 1)).startsWith("sweep-prod-");
  }

  @Test
  void sweep_whenStartedSixtyMinutesAgo_leavesItAlone() {
    ArtifactKey key = w.publish();
    String arn = TestWorld.Executions.arn("s3-1");
    w.executions.status.put(arn, "RUNNING");
    lease(key, "stage", arn);
    w.clock.advance(Duration.ofMinutes(5));
    deploySucceeded(key, "stage");
    w.clock.advance(Duration.ofMinutes(55));
    SweepReport report = w.sweeper().sweep();
    assertThat(report.due()).isZero();
    assertThat(report.stopped()).isZero();
    assertThat(w.executions.stopped).isEmpty();
  }

  @Test
  void sweep_whenStuckMidRollback_stopsAndFlagsOnce_neverRequeues() {
    ArtifactKey key = w.publish();
    ArtifactRecord c = record(key);
    String arn = TestWorld.Executions.arn("rollback-1");
    w.ledger.put(
        dev.cairn.core.ledger.SweepPolicy.apply(
            c.toBuilder()
                .status(ArtifactStatus.ROLLBACK_INITIATED)
                .environment("stage", c.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
                .environment(
                    "prod", c.environment("prod").withStatus(EnvironmentStatus.ROLLBACK_INITIATED))
                .executionId(arn)
                .executionStartedAt(w.clock.instant())
                .executionStatus(ExecutionStatus.RUNNING)
                .build(),
            w.clock.instant()));
    w.clock.advance(Duration.ofMinutes(80));
    SweepReport report = w.sweeper().sweep();
    assertThat(report.stopped()).isEqualTo(1);
    assertThat(report.requeued()).isZero();
    assertThat(w.executions.stopped).containsExactly(arn);
    ArtifactRecord r = record(key);
    assertThat(r.status()).isEqualTo(ArtifactStatus.ROLLBACK_INITIATED);
    assertThat(r.environment("prod").status()).isEqualTo(EnvironmentStatus.ROLLBACK_INITIATED);
    assertThat(r.manualInterventionRequired()).isTrue();
    assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.KILLED);
    assertThat(r.sweepDueAt()).isNull(); // off the index until an operator moves it
    assertThat(w.events).containsExactly("StuckPipelineTerminated");
    assertThat(w.eventDetails.get(0).path("manual_intervention_required").asBoolean()).isTrue();
    assertThat(w.eventDetails.get(0).path("severity").asText()).isEqualTo("critical");
    // Alerted once: later sweeps neither stop nor write again.
    w.clock.advance(Duration.ofMinutes(2));
    assertThat(w.sweeper().sweep().due()).isZero();
    assertThat(w.executions.stopped).hasSize(1);
  }

  @Test
  void sweep_whenLiveEntryNearExpiry_extendsTtl() {
    ArtifactKey key = w.publish();
    ArtifactRecord r = record(key);
    long expire = w.clock.instant().plus(Duration.ofDays(6)).getEpochSecond();
    w.ledger.put(
        dev.cairn.core.ledger.SweepPolicy.apply(
            r.toBuilder()
                .status(ArtifactStatus.PROMOTED)
                .environment("stage", r.environment("stage").withStatus(EnvironmentStatus.DEPLOYED))
                .expireAt(expire)
                .build(),
            w.clock.instant()));
    SweepReport report = w.sweeper().sweep();
    assertThat(report.ttlRefreshed()).isEqualTo(1);
    assertThat(record(key).expireAt())
        .isEqualTo(w.clock.instant().plus(Duration.ofDays(90)).getEpochSecond());
    assertThat(w.ledger.actions()).endsWith("TtlRefreshed");
    assertThat(w.events).containsExactly("SweeperCorrected");
    assertThat(w.eventDetails.get(0).path("correction").asText()).isEqualTo("ttl_refreshed");
    // Off the index until 7 days before the new expiry.
    assertThat(w.sweeper().sweep().due()).isZero();
  }

  @Test
  void sweep_countsCandidatesNeverPromoted() {
    w.publish();
    w.missing.add(TestWorld.CANDIDATE);
    w.clock.advance(Duration.ofDays(15));
    w.sweeper().sweep();
    assertThat(w.metrics.neverPromoted).containsExactly(1);
  }

  @Test
  void sweep_readsOnlyTheIndexPartitions() {
    w.publish();
    w.sweeper().sweep();
    assertThat(w.ledger.findDueCalls).isEqualTo(dev.cairn.core.ledger.SweepPolicy.PARTITIONS);
  }
}
