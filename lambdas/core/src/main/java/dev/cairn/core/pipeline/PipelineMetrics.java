package dev.cairn.core.pipeline;

import java.time.Duration;

/** Port: the spec's CloudWatch custom metrics (adapter: Powertools EMF). */
public interface PipelineMetrics {

  /**
   * {@code DeployLatency} (spec: "Time from candidate artifact creation → stage deploy → prod
   * deploy"): seconds from the manifest's {@code build_time} (the candidate artifact's creation, as
   * {@code cairn publish} copied it into the ledger record) to the moment {@code poll_stacks} saw
   * every stack of this environment complete ({@code deploy_completed_at}). One datum per
   * environment deploy, so the final environment's datum is the spec's creation → prod latency. It
   * is not seed 004's lead time (tag or commit → prod): the manifest carries no commit time, and
   * the time between commit and build is not measured (docs/decisions/2026-12-06-rollback-
   * backoff.md, DeployLatency).
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
