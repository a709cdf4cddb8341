package dev.cairn.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.ledger.ArtifactKey;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TestStatus;
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
                    .executionStartedAt(TransitionPlanner.iso(w.clock.instant()))
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
  void sweep_whenExecutionQuietFor65Minutes_stopsRequeuesAndEmits() {
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

  @Test
  void sweep_whenInFlightLongButProgressing_leavesItAlone() {
    ArtifactKey key = w.publish();
    String arn = TestWorld.Executions.arn("s3-1");
    w.executions.status.put(arn, "RUNNING");
    lease(key, "stage", arn);
    w.clock.advance(Duration.ofMinutes(50));
    // poll_stacks recorded the deploy at minute 50; tests run now.
    w.ledger.transition(
        TransitionRequest.of(
            key,
            PIPELINE,
            "DeploySucceeded",
            StateChange.environment(
                "stage", EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED),
            StateChange.test("stage", TestStatus.NOT_TESTED, TestStatus.TEST_RUNNING)));
    w.clock.advance(Duration.ofMinutes(20)); // 70 minutes in flight, 20 quiet
    SweepReport report = w.sweeper().sweep();
    assertThat(report.due()).isEqualTo(1);
    assertThat(report.slow()).isEqualTo(1);
    assertThat(w.executions.stopped).isEmpty();
  }

  @Test
  void sweep_whenLiveEntryNearExpiry_extendsTtl() {
    ArtifactKey key = w.publish();
    ArtifactRecord r = record(key);
    long expire = w.clock.instant().plus(Duration.ofDays(6)).getEpochSecond();
    w.ledger.put(
        dev.cairn.core.lifecycle.SweepPolicy.apply(
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
    assertThat(w.ledger.findDueCalls).isEqualTo(dev.cairn.core.lifecycle.SweepPolicy.PARTITIONS);
  }
}
