package dev.cairn.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionPlannerTest {

  static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
  static final Actor PIPELINE = new Actor(ActorRole.PIPELINE, "pipeline");
  static final Actor CI = new Actor(ActorRole.CI, "ci");

  static ArtifactRecord created() {
    ArtifactRecord c =
        CandidateRecords.candidate(
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
    return TransitionPlanner.planCreate(c, CI, T, "cairn:1").after();
  }

  @Test
  void planCreate_firstEnvironmentPending_laterNotDeployed_versionOne() {
    ArtifactRecord r = created();
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(ArtifactStatus.CANDIDATE);
    assertThat(r.environment("stage").status()).isEqualTo(EnvironmentStatus.PENDING);
    assertThat(r.environment("prod").status()).isEqualTo(EnvironmentStatus.NOT_DEPLOYED);
    assertThat(r.sweepDueAt()).isNotNull();
    assertThat(r.auditEventIds()).containsExactly("cairn:1");
  }

  @Test
  void planCreate_whenActorNotCi_refuses() {
    assertThatThrownBy(() -> TransitionPlanner.planCreate(created(), PIPELINE, T, "x"))
        .isInstanceOf(TransitionRefusedException.class);
  }

  @Test
  void plan_appliesMoveBumpsVersionAndRecordsBeforeAfter() {
    ArtifactRecord r = created();
    var plan =
        TransitionPlanner.plan(
            r,
            TransitionRequest.of(
                    r.key(),
                    PIPELINE,
                    "LeaseAcquired",
                    StateChange.environment(
                        "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING))
                .withAttributes(
                    b ->
                        b.executionId("arn:exec")
                            .executionStartedAt(Instant.parse("2026-11-22T10:00:00Z"))),
            T.plusSeconds(1),
            "cairn:2");
    assertThat(plan.after().version()).isEqualTo(2);
    assertThat(plan.after().environment("stage").status()).isEqualTo(EnvironmentStatus.DEPLOYING);
    assertThat(plan.after().executionId()).isEqualTo("arn:exec");
    assertThat(plan.after().sweepDueAt())
        .isEqualTo(Instant.parse("2026-11-22T11:05:01Z").getEpochSecond());
    assertThat(plan.event().before().get("environment_states").get("stage").get("status").asText())
        .isEqualTo("pending");
    assertThat(plan.event().after().get("environment_states").get("stage").get("status").asText())
        .isEqualTo("deploying");
  }

  @Test
  void plan_whenAttributesTouchStatus_isRejectedAsProgrammingError() {
    ArtifactRecord r = created();
    assertThatThrownBy(
            () ->
                TransitionPlanner.plan(
                    r,
                    TransitionRequest.of(
                            r.key(),
                            PIPELINE,
                            "LeaseAcquired",
                            StateChange.environment(
                                "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING))
                        .withAttributes(b -> b.status(ArtifactStatus.PROMOTED)),
                    T,
                    "cairn:2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void plan_whenStale_refusesStaleState() {
    ArtifactRecord r = created();
    assertThatThrownBy(
            () ->
                TransitionPlanner.plan(
                    r,
                    TransitionRequest.of(
                        r.key(),
                        PIPELINE,
                        "DeploySucceeded",
                        StateChange.environment(
                            "stage", EnvironmentStatus.DEPLOYING, EnvironmentStatus.DEPLOYED)),
                    T,
                    "cairn:2"))
        .isInstanceOfSatisfying(
            TransitionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(TransitionRefusedException.Reason.STALE_STATE));
  }

  @Test
  void record_roundTripsThroughJsonWithSpecNames() throws Exception {
    ArtifactRecord r = created();
    String json = Json.compact(r);
    assertThat(json)
        .contains(
            "\"commit_sha\"",
            "\"environment_states\"",
            "\"expire_at\"",
            "\"test_status\":\"not_tested\"",
            "\"artifact_type\":\"cdk\"");
    assertThat(Json.mapper().readValue(json, ArtifactRecord.class)).isEqualTo(r);
  }
}
