package dev.cairn.testsupport;

import dev.cairn.core.pipeline.port.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every metric the pipeline emits, in order: for tests and the sandbox's run summary, where
 * production sends them to CloudWatch as EMF.
 */
public final class RecordingPipelineMetrics implements PipelineMetrics {

  /** One emitted value; {@code service}/{@code environment} are null for global metrics. */
  public record Datum(String name, double value, String service, String environment) {}

  private final List<Datum> data = new ArrayList<>();

  public synchronized List<Datum> data() {
    return List.copyOf(data);
  }

  /** The names emitted, in order, with repeats. */
  public synchronized List<String> names() {
    return data.stream().map(Datum::name).toList();
  }

  private synchronized void add(String name, double value, String service, String env) {
    data.add(new Datum(name, value, service, env));
  }

  @Override
  public void deployLatency(String service, String environment, Duration latency) {
    add("DeployLatency", latency.toSeconds(), service, environment);
  }

  @Override
  public void rollbackLatency(String service, String environment, Duration latency) {
    add("RollbackLatency", latency.toSeconds(), service, environment);
  }

  @Override
  public void assetHashMismatch(String service, String environment) {
    add("AssetHashMismatch", 1, service, environment);
  }

  @Override
  public void testResult(String service, String environment, boolean passed) {
    add("TestFailureRate", passed ? 0 : 1, service, environment);
  }

  @Override
  public void rollbackAttempt(String service, String environment, boolean succeeded) {
    add("RollbackFailureRate", succeeded ? 0 : 1, service, environment);
  }

  @Override
  public void finalizerCorrected(String service, String environment) {
    add("FinalizerCorrected", 1, service, environment);
  }

  @Override
  public void artifactNeverPromoted(int count) {
    add("ArtifactNeverPromoted", count, null, null);
  }
}
