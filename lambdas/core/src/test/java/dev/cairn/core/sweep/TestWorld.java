package dev.cairn.core.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.pipeline.ControlPlaneConfig;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.PipelineServices;
import dev.cairn.core.pipeline.port.AlarmMonitor;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.sweep.port.ExecutionControl;
import dev.cairn.core.verify.TestKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shared fixtures for the sweeper and finalizer unit tests: a virtual clock and honest stubs. */
public final class TestWorld {

  public static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
  public static final String COMMIT = "4f2a9c1e0b3d4f2a9c1e0b3d4f2a9c1e0b3d4f2a";
  public static final String CANDIDATE = "cdk-artifacts-candidate";
  public static final String RELEASE = "cdk-artifacts-release";
  public static final Path CDK_OUT = Path.of("../../examples/hello-service/cdk.out");

  /** A clock the test moves. */
  public static final class VirtualClock extends Clock {
    private Instant now;

    public VirtualClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  public final VirtualClock clock = new VirtualClock(T0);
  public final InMemoryLedger ledger = new InMemoryLedger(clock);
  public final Set<String> missing = new HashSet<>();
  public final List<String> events = new ArrayList<>();
  public final List<ObjectNode> eventDetails = new ArrayList<>();
  public final Metrics metrics = new Metrics();
  public final Executions executions = new Executions();
  public final EnvironmentChain chain =
      new EnvironmentChain(
          List.of(env("stage", "111111111111", 0), env("prod", "222222222222", 600)));

  public static EnvironmentPolicy env(String name, String account, long bake) {
    return new EnvironmentPolicy(
        name,
        account,
        "us-east-1",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-deploy",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-cfn-exec",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-readonly",
        false,
        name + "-tests",
        bake,
        List.of(),
        0,
        null);
  }

  public ArtifactKey publish() {
    ArtifactRecord c =
        CandidateRecords.candidate(
            new ArtifactKey("orders", COMMIT),
            "b".repeat(64),
            "s3://" + CANDIDATE + "/orders/" + COMMIT + "/",
            clock.instant(),
            "2.1148.1",
            "c".repeat(64),
            null,
            true,
            null,
            "us-east-1",
            List.of(
                new CandidateRecords.Environment("stage", "us-east-1"),
                new CandidateRecords.Environment("prod", "us-east-1")));
    return ledger.create(c, new Actor(ActorRole.CI, "ci")).key();
  }

  public SweepUseCase sweeper() {
    return new SweepUseCase(
        ledger,
        store(),
        executions,
        (type, detail) -> {
          events.add(type);
          eventDetails.add(detail);
        },
        metrics,
        chain,
        SweepConfig.defaults(CANDIDATE, RELEASE),
        clock);
  }

  public ArtifactStore store() {
    return new ArtifactStore() {
      @Override
      public ArtifactSource source(String bucket, String service, String commitSha) {
        return new dev.cairn.core.integrity.LocalDirectoryArtifactSource(CDK_OUT);
      }

      @Override
      public Optional<byte[]> readManifest(
          String bucket, String service, String commitSha, int maxBytes) {
        return missing.contains(bucket) ? Optional.empty() : Optional.of(new byte[] {'{'});
      }

      @Override
      public String putEvidence(String b, String s, String c, String n, byte[] j) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ArtifactSource source(
          dev.cairn.core.pipeline.ArtifactEvidence e, String service, String commitSha) {
        return source(e.bucket(), service, commitSha);
      }

      @Override
      public Optional<StoredObject> readManifestObject(
          String bucket, String service, String commitSha, int maxBytes) {
        return readManifest(bucket, service, commitSha, maxBytes)
            .map(b -> new StoredObject(b, null));
      }

      @Override
      public void releaseArtifact(
          dev.cairn.core.pipeline.ArtifactEvidence e, String t, String s, String c) {
        throw new UnsupportedOperationException();
      }
    };
  }

  /** Step Functions names: unique per state machine; the runner decides nothing (RUNNING). */
  public static final class Executions implements ExecutionControl {
    public final Map<String, String> status = new LinkedHashMap<>(); // arn -> status
    public final List<String> started = new ArrayList<>();
    public final List<String> stopped = new ArrayList<>();
    public final List<String> stopErrors = new ArrayList<>();

    public static String arn(String name) {
      return "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:" + name;
    }

    @Override
    public Started start(String name, ObjectNode input) {
      String arn = arn(name);
      if (status.containsKey(arn)) {
        return new Started(arn, true);
      }
      status.put(arn, "RUNNING");
      started.add(name);
      return new Started(arn, false);
    }

    @Override
    public Optional<String> status(String executionArn) {
      return Optional.ofNullable(status.get(executionArn));
    }

    @Override
    public void stop(String executionArn, String error, String cause) {
      stopped.add(executionArn);
      stopErrors.add(error);
      status.computeIfPresent(executionArn, (k, v) -> v.equals("RUNNING") ? "ABORTED" : v);
    }
  }

  /**
   * The pipeline's services on this world (its ledger, store, chain and clock) with {@code
   * metrics}; no deploy is expected and the alarms stay quiet.
   */
  public PipelineServices services(Metrics metrics) {
    return new PipelineServices(
        ledger,
        store(),
        (environment, session) -> {
          throw new AssertionError("no deploy");
        },
        (environment, alarms, since) -> new AlarmMonitor.AlarmWindow(List.of(), List.of()),
        metrics,
        chain,
        TestKeys.POLICY,
        CANDIDATE,
        RELEASE,
        ControlPlaneConfig.bootstrapVersionParameter("hnb659fds"),
        d -> {},
        clock);
  }

  /** Keeps what was emitted. */
  public static final class Metrics implements PipelineMetrics {
    public final List<String> names = new ArrayList<>();
    public final List<Integer> neverPromoted = new ArrayList<>();

    /** One entry per RollbackFailureRate datum: "succeeded" or "failed". */
    public final List<String> rollbackAttempts = new ArrayList<>();

    @Override
    public void deployLatency(String s, String e, Duration l) {}

    @Override
    public void rollbackLatency(String s, String e, Duration l) {}

    @Override
    public void assetHashMismatch(String s, String e) {}

    @Override
    public void testResult(String s, String e, boolean p) {}

    @Override
    public void rollbackAttempt(String s, String e, boolean ok) {
      rollbackAttempts.add(ok ? "succeeded" : "failed");
    }

    @Override
    public void finalizerCorrected(String s, String e) {
      names.add("FinalizerCorrected");
    }

    @Override
    public void artifactNeverPromoted(int count) {
      neverPromoted.add(count);
    }
  }
}
