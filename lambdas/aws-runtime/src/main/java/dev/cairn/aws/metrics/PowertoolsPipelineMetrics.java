package dev.cairn.aws.metrics;

import dev.cairn.core.kpi.KpiGauges;
import dev.cairn.core.kpi.port.KpiMetrics;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The spec's custom metrics as CloudWatch Embedded Metric Format through Powertools' functional API
 * (no AspectJ). Each metric is flushed as it happens, in one EMF document with the dimension sets
 * of {@link MetricsContract}: the aggregate set the alarms watch ({@code Service=cairn}) and, for
 * per-service metrics, the drill-down set ({@code Service, DeployedService, Environment}).
 *
 * <p>Powertools' {@code flushSingleMetric} writes exactly ONE dimension set (it replaces the
 * default {@code Service} dimension of {@code POWERTOOLS_SERVICE_NAME}); this adapter uses {@code
 * flushMetrics} instead, so both sets land in the same document.
 */
public final class PowertoolsPipelineMetrics
    implements PipelineMetrics, dev.cairn.core.anchor.port.AnchorMetrics, KpiMetrics {

  private final Metrics metrics;
  private final MetricsContract contract;

  public PowertoolsPipelineMetrics(Metrics metrics, MetricsContract contract) {
    this.metrics = metrics;
    this.contract = contract;
  }

  /**
   * {@code DeployLatency} in seconds: the signed manifest's {@code commit_time} (else {@code
   * build_time}) to this environment's {@code deploy_completed_at}; see {@link
   * PipelineMetrics#deployLatency}.
   */
  @Override
  public void deployLatency(String service, String environment, Duration latency) {
    emit("DeployLatency", latency.toMillis() / 1000.0, service, environment);
  }

  @Override
  public void rollbackLatency(String service, String environment, Duration latency) {
    emit("RollbackLatency", latency.toMillis() / 1000.0, service, environment);
  }

  @Override
  public void assetHashMismatch(String service, String environment) {
    emit("AssetHashMismatch", 1, service, environment);
  }

  /** {@code TestFailureRate}: 1 for a failed run, 0 for a passed one; the alarm averages it. */
  @Override
  public void testResult(String service, String environment, boolean passed) {
    emit("TestFailureRate", passed ? 0 : 1, service, environment);
  }

  /**
   * {@code RollbackFailureRate}, per the spec "Number of rollback attempts that failed after test
   * failure": one datum per rollback ATTEMPT, 1 for an attempt that failed and 0 for the attempt
   * that succeeded. A rollback that succeeds at its second attempt emits 1 then 0; one that
   * exhausts {@code MAX_ROLLBACK_ATTEMPTS} = 2 emits 1, 1. {@code Sum} is the number of failed
   * attempts (what the alarm watches), {@code SampleCount} the attempts made, {@code Average} the
   * failure rate per attempt. A rollback with no known-good commit makes no attempt and emits
   * nothing here (it ends in {@code RollbackFailed} and the critical alert).
   */
  @Override
  public void rollbackAttempt(String service, String environment, boolean succeeded) {
    emit("RollbackFailureRate", succeeded ? 0 : 1, service, environment);
  }

  @Override
  public void finalizerCorrected(String service, String environment) {
    emit("FinalizerCorrected", 1, service, environment);
  }

  /** {@code ArtifactNeverPromoted}: a control-plane gauge, so the aggregate set only. */
  @Override
  public void artifactNeverPromoted(int count) {
    flush("ArtifactNeverPromoted", count, List.of());
  }

  /** {@code AnchorHeartbeat}: 1 per successful anchorer run, aggregate set only. */
  @Override
  public void anchorHeartbeat() {
    flush("AnchorHeartbeat", 1, List.of());
  }

  /**
   * Seed 004's KPIs, control-plane gauges on the aggregate set only: a per-service value under the
   * aggregate set would mix into the all-services figure the alarms watch. A null gauge (no data in
   * its window) emits nothing.
   */
  @Override
  public void deliveryKpis(KpiGauges gauges) {
    gauge("LeadTimeMedian", gauges.leadTimeMedianSeconds());
    gauge("ChangeFailureRate", gauges.changeFailureRatePercent());
    gauge("MeanTimeToRestore", gauges.meanTimeToRestoreSeconds());
    gauge("RollbackRate", gauges.rollbackRatePercent());
  }

  private void gauge(String name, Double value) {
    if (value != null) {
      flush(name, value, List.of());
    }
  }

  /**
   * SnapStart priming of the metrics path: the contract's aggregate and drill-down documents built
   * by Powertools and serialized by the EMF library, as the first real flush does, into a sink that
   * drops them. Nothing is written: a primed metric would be a datum the alarms count.
   */
  public static dev.cairn.aws.runtime.Priming.Step priming() {
    return new dev.cairn.aws.runtime.Priming.Step(
        "metrics",
        () -> {
          PowertoolsPipelineMetrics discarded = discarding(MetricsContract.load());
          discarded.anchorHeartbeat();
          discarded.testResult("priming", "priming", true);
        });
  }

  /**
   * Metrics that Powertools builds and the EMF library serializes as the real ones, into a sink
   * that drops every document: priming's, whose data no alarm may count.
   */
  public static PowertoolsPipelineMetrics discarding(MetricsContract contract) {
    return new PowertoolsPipelineMetrics(
        new software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger(
            new DiscardingEnvironment(),
            new software.amazon.cloudwatchlogs.emf.model.MetricsContext()),
        contract);
  }

  /** An EMF environment whose sink serializes each document and drops it. */
  private static final class DiscardingEnvironment
      extends software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider
      implements software.amazon.cloudwatchlogs.emf.environment.Environment,
          software.amazon.cloudwatchlogs.emf.sinks.ISink {

    @Override
    public java.util.concurrent.CompletableFuture<
            software.amazon.cloudwatchlogs.emf.environment.Environment>
        resolveEnvironment() {
      return java.util.concurrent.CompletableFuture.completedFuture(this);
    }

    @Override
    public software.amazon.cloudwatchlogs.emf.environment.Environment getDefaultEnvironment() {
      return this;
    }

    @Override
    public boolean probe() {
      return true;
    }

    @Override
    public String getName() {
      return "priming";
    }

    @Override
    public String getType() {
      return "priming";
    }

    @Override
    public String getLogGroupName() {
      return "priming";
    }

    @Override
    public void configureContext(software.amazon.cloudwatchlogs.emf.model.MetricsContext context) {}

    @Override
    public software.amazon.cloudwatchlogs.emf.sinks.ISink getSink() {
      return this;
    }

    @Override
    public void accept(software.amazon.cloudwatchlogs.emf.model.MetricsContext context) {
      try {
        context.serialize();
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a primed metric did not serialize", e);
      }
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> shutdown() {
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
  }

  private void emit(String name, double value, String service, String environment) {
    flush(name, value, List.of(service, environment));
  }

  /**
   * One EMF document: the aggregate set, then the drill-down set whose dimensions beyond the
   * aggregate take {@code drillDownValues} in the contract's order.
   */
  private void flush(String name, double value, List<String> drillDownValues) {
    MetricsContract.Metric metric = contract.metric(name);
    Map<String, String> aggregate = new LinkedHashMap<>();
    contract.alarmDimensionSet().forEach(d -> aggregate.put(d, contract.alarmDimensions().get(d)));
    Map<String, String> drillDown = new LinkedHashMap<>();
    if (metric.drillDown()) {
      List<String> extra =
          contract.drillDownDimensionSet().stream().filter(d -> !aggregate.containsKey(d)).toList();
      if (extra.size() != drillDownValues.size()) {
        throw new IllegalStateException(
            name + ": drill-down set " + extra + " needs " + extra.size() + " values");
      }
      for (String d : contract.drillDownDimensionSet()) {
        drillDown.put(
            d, aggregate.containsKey(d) ? aggregate.get(d) : drillDownValues.get(extra.indexOf(d)));
      }
    }
    MetricUnit unit = MetricUnit.valueOf(metric.unit().toUpperCase(java.util.Locale.ROOT));
    metrics.flushMetrics(
        document -> {
          document.setNamespace(contract.namespace());
          document.setDefaultDimensions(DimensionSet.of(aggregate));
          if (!drillDown.isEmpty()) {
            document.addDimension(DimensionSet.of(drillDown));
          }
          document.addMetric(name, value, unit);
        });
  }
}
