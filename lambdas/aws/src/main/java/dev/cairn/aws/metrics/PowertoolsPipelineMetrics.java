package dev.cairn.aws.metrics;

import dev.cairn.core.pipeline.PipelineMetrics;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The spec's custom metrics as CloudWatch Embedded Metric Format through Powertools' functional API
 * (no AspectJ). Each metric is flushed as it happens, dimensioned by service and environment.
 */
public final class PowertoolsPipelineMetrics implements PipelineMetrics {

  private final Metrics metrics;
  private final String namespace;

  public PowertoolsPipelineMetrics(Metrics metrics, String namespace) {
    this.metrics = metrics;
    this.namespace = namespace;
  }

  @Override
  public void deployLatency(String service, String environment, Duration latency) {
    emit("DeployLatency", latency.toMillis() / 1000.0, MetricUnit.SECONDS, service, environment);
  }

  @Override
  public void rollbackLatency(String service, String environment, Duration latency) {
    emit("RollbackLatency", latency.toMillis() / 1000.0, MetricUnit.SECONDS, service, environment);
  }

  @Override
  public void assetHashMismatch(String service, String environment) {
    emit("AssetHashMismatch", 1, MetricUnit.COUNT, service, environment);
  }

  /** {@code TestFailureRate}: 1 for a failed run, 0 for a passed one; the alarm averages it. */
  @Override
  public void testResult(String service, String environment, boolean passed) {
    emit("TestFailureRate", passed ? 0 : 1, MetricUnit.COUNT, service, environment);
  }

  /** {@code RollbackFailureRate}: 1 for a failed rollback, 0 for a successful one. */
  @Override
  public void rollbackResult(String service, String environment, boolean succeeded) {
    emit("RollbackFailureRate", succeeded ? 0 : 1, MetricUnit.COUNT, service, environment);
  }

  @Override
  public void finalizerCorrected(String service, String environment) {
    emit("FinalizerCorrected", 1, MetricUnit.COUNT, service, environment);
  }

  @Override
  public void artifactNeverPromoted(int count) {
    metrics.flushSingleMetric(
        "ArtifactNeverPromoted",
        count,
        MetricUnit.COUNT,
        namespace,
        DimensionSet.of("scope", "control-plane"));
  }

  private void emit(
      String name, double value, MetricUnit unit, String service, String environment) {
    metrics.flushSingleMetric(
        name,
        value,
        unit,
        namespace,
        DimensionSet.of("service", service, "environment", environment));
  }
}
