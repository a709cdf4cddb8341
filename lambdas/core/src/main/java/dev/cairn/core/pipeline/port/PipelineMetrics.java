package dev.cairn.core.pipeline.port;

import java.time.Duration;

/** Port: the spec's CloudWatch custom metrics (adapter: Powertools EMF). */
public interface PipelineMetrics {

  /**
   * {@code DeployLatency}: seconds from the artifact's start to the moment {@code poll_stacks} saw
   * every stack of this environment complete ({@code deploy_completed_at}). The start is the signed
   * manifest's {@code commit_time}, as this execution's {@code VerifyManifest} read it from the
   * verified manifest (seed 004's lead time: commit → deploy); for a manifest without {@code
   * commit_time} it is the record's {@code build_time} (the spec's "candidate artifact creation").
   * One datum per environment deploy, so the final environment's datum is commit → prod.
   */
  void deployLatency(String service, String environment, Duration latency);

  /** {@code RollbackLatency}: test failure to rollback completion. */
  void rollbackLatency(String service, String environment, Duration latency);

  /** {@code AssetHashMismatch}: an asset failed validation before deploy. */
  void assetHashMismatch(String service, String environment);

  /** {@code TestFailureRate} input: one test run's outcome. */
  void testResult(String service, String environment, boolean passed);

  /**
   * {@code RollbackFailureRate} input: one rollback ATTEMPT's outcome (spec: "Number of rollback
   * attempts that failed after test failure"), called once per attempt, not once per rollback.
   */
  void rollbackAttempt(String service, String environment, boolean succeeded);

  /** {@code FinalizerCorrected}: the finalizer had to patch the record after an execution. */
  void finalizerCorrected(String service, String environment);

  /**
   * {@code ArtifactNeverPromoted}: how many candidates older than the configured age one sweep saw
   * (a gauge per sweep, 0 included, so an alarm can use Maximum).
   */
  void artifactNeverPromoted(int count);
}
