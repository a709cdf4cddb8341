package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.EnvironmentState;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import dev.cairn.core.sweep.InMemoryLedger;
import dev.cairn.core.sweep.TestWorld;
import dev.cairn.core.verify.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code acquire_lease} in an environment that requires two signed approvals. */
class LeaseUseCaseTest {

  private static final String EXECUTION =
      "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:sweep-prod-1";

  private final TestWorld world = new TestWorld();
  private final InMemoryLedger ledger = world.ledger;
  private final EnvironmentChain chain =
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
                  0,
                  List.of(),
                  2,
                  null)));
  private final List<String> counted = new ArrayList<>();
  private int approvals;

  @Test
  void acquire_whenTheRecordAlreadySaysDeployingForThisExecution_stillCountsApprovals() {
    ArtifactKey key = promotedWithProd(EnvironmentStatus.DEPLOYING, EXECUTION);
    approvals = 1;

    assertThatThrownBy(() -> lease().acquire(request(key)))
        .isInstanceOf(ApprovalsPending.class)
        .hasMessageContaining("APPROVALS_PENDING")
        .hasMessageContaining("1 recorded");
    assertThat(counted).containsExactly("prod@aaaaaaaa");
  }

  @Test
  void acquire_retryOfItsOwnLeaseWithEnoughApprovals_returnsTheLeaseWithoutWriting() {
    ArtifactKey key = promotedWithProd(EnvironmentStatus.DEPLOYING, EXECUTION);
    long version = ledger.find(key).orElseThrow().version();
    approvals = 2;

    DeployerResult.LeaseAcquired out = lease().acquire(request(key));

    assertThat(out.leaseId()).isEqualTo(EXECUTION);
    assertThat(counted).containsExactly("prod@aaaaaaaa");
    assertThat(ledger.find(key).orElseThrow().version()).isEqualTo(version);
  }

  @Test
  void acquire_pendingWithoutEnoughApprovals_writesNothing() {
    ArtifactKey key = promotedWithProd(EnvironmentStatus.PENDING, null);
    long version = ledger.find(key).orElseThrow().version();
    approvals = 1;

    assertThatThrownBy(() -> lease().acquire(request(key))).isInstanceOf(ApprovalsPending.class);
    assertThat(ledger.find(key).orElseThrow().version()).isEqualTo(version);
    assertThat(ledger.find(key).orElseThrow().environment("prod").status())
        .isEqualTo(EnvironmentStatus.PENDING);
  }

  @Test
  void acquire_pendingWithEnoughApprovals_takesTheLease() {
    ArtifactKey key = promotedWithProd(EnvironmentStatus.PENDING, null);
    approvals = 2;

    lease().acquire(request(key));

    ArtifactRecord r = ledger.find(key).orElseThrow();
    assertThat(r.environment("prod").status()).isEqualTo(EnvironmentStatus.DEPLOYING);
    assertThat(r.executionId()).isEqualTo(EXECUTION);
  }

  @Test
  void acquire_whenProdIsAlreadyDeployed_endsAsADuplicateWithoutWaiting() {
    ArtifactKey key = promotedWithProd(EnvironmentStatus.DEPLOYED, "another-execution");
    approvals = 0;

    assertThatThrownBy(() -> lease().acquire(request(key))).isInstanceOf(DuplicateExecution.class);
  }

  /** The record as another principal could have written it: stage done, prod as given. */
  private ArtifactKey promotedWithProd(EnvironmentStatus prod, String executionId) {
    ArtifactKey key = world.publish();
    ArtifactRecord r = ledger.find(key).orElseThrow();
    Map<String, EnvironmentState> states = new LinkedHashMap<>(r.environmentStates());
    states.put("stage", states.get("stage").withStatus(EnvironmentStatus.DEPLOYED));
    states.put("prod", states.get("prod").withStatus(prod));
    world.clock.advance(Duration.ofMinutes(1));
    ledger.put(
        r.toBuilder()
            .status(ArtifactStatus.PROMOTED)
            .environmentStates(states)
            .executionId(executionId)
            .version(r.version() + 1)
            .build());
    return key;
  }

  private DeployerCommand.AcquireLease request(ArtifactKey key) {
    return new DeployerCommand.AcquireLease(
        new PipelineRequest(key.service(), key.commitSha(), "prod", EXECUTION),
        DeployerCommand.Trigger.sweeper,
        "sweep-prod-1",
        null,
        // The digest VerifyManifest vouched for in this execution (the record says "b…").
        "a".repeat(64),
        false);
  }

  private LeaseUseCase lease() {
    return new LeaseUseCase(
        new PipelineServices(
            ledger,
            world.store(),
            (environment, session) -> {
              throw new AssertionError("no deploy");
            },
            (environment, alarms, since) -> new AlarmMonitor.AlarmWindow(List.of(), List.of()),
            world.metrics,
            chain,
            TestKeys.POLICY,
            TestWorld.CANDIDATE,
            TestWorld.RELEASE,
            ControlPlaneConfig.bootstrapVersionParameter("hnb659fds"),
            d -> {},
            world.clock),
        (k, env, digest) -> {
          counted.add(env + "@" + digest.substring(0, 8));
          return approvals;
        });
  }
}
