package dev.cairn.sandbox.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;

/**
 * Captures, in process, the exact EMF documents the production metrics adapter writes.
 *
 * <p>The seam is the EMF library's sink, one level below Powertools: {@link #metrics()} is
 * Powertools' own {@code EmfMetricsLogger} (what {@code MetricsFactory} hands the Lambdas) built on
 * an {@link EnvironmentProvider} whose environment is the Lambda environment with its stdout sink
 * swapped for one that keeps each serialized document. Nothing above the sink changes: the adapter,
 * Powertools and the EMF serializer run as in Lambda.
 *
 * <p>Time: Powertools stamps {@code _aws.Timestamp} from the system clock ({@code MetricsContext}
 * takes {@code Instant.now()}), and its {@code setTimestamp} refuses instants more than 14 days
 * back or 2 hours ahead of the system clock, so a virtual clock cannot go through it. The capture
 * therefore records {@code clock.instant()} when the sink receives each document (the flush is
 * synchronous) as {@link EmfDocument#timestampMillis()}; {@link #rawDocuments()} keeps the
 * system-clock original.
 */
public final class EmfCapture {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final List<EmfDocument> documents = new CopyOnWriteArrayList<>();
  private final List<String> raw = new CopyOnWriteArrayList<>();
  private final EnvironmentProvider environments = new CapturingEnvironmentProvider();

  private EmfCapture(Clock clock) {
    this.clock = clock;
  }

  /** A capture with no global effect: hand {@link #metrics()} to the adapter. */
  public static EmfCapture create(Clock clock) {
    return new EmfCapture(clock);
  }

  /**
   * A capture that {@code MetricsFactory.getMetricsInstance()} also writes to (global: Powertools
   * keeps one provider per JVM). Undo with {@link #uninstall()}.
   */
  public static EmfCapture install(Clock clock) {
    EmfCapture capture = new EmfCapture(clock);
    MetricsFactory.setMetricsProvider(capture::metrics);
    return capture;
  }

  /** Puts Powertools' default provider (EMF to the detected environment) back. */
  public static void uninstall() {
    MetricsFactory.setMetricsProvider(
        new software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider());
  }

  /** A fresh Powertools {@code Metrics} whose documents land in this capture. */
  public Metrics metrics() {
    return new EmfMetricsLogger(environments, new MetricsContext());
  }

  /** Every metric value written so far, in order. */
  public List<EmfDocument> documents() {
    return List.copyOf(documents);
  }

  /** The serialized EMF documents exactly as the EMF library wrote them. */
  public List<String> rawDocuments() {
    return List.copyOf(raw);
  }

  public void clear() {
    documents.clear();
    raw.clear();
  }

  private void accept(MetricsContext context) {
    long at = clock.instant().toEpochMilli();
    try {
      for (String line : context.serialize()) {
        raw.add(line);
        documents.addAll(parse(JSON.readTree(line), at));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the EMF library wrote a document that is not JSON", e);
    }
  }

  /** One {@link EmfDocument} per metric value of each directive in one EMF document. */
  static List<EmfDocument> parse(JsonNode document, long timestampMillis) {
    List<EmfDocument> out = new ArrayList<>();
    for (JsonNode directive : document.path("_aws").path("CloudWatchMetrics")) {
      List<List<String>> sets = new ArrayList<>();
      Map<String, String> dimensions = new LinkedHashMap<>();
      for (JsonNode set : directive.path("Dimensions")) {
        List<String> names = new ArrayList<>();
        for (JsonNode name : set) {
          names.add(name.asText());
          JsonNode value = document.path(name.asText());
          if (!value.isTextual()) {
            throw new IllegalArgumentException("EMF dimension " + name + " has no string value");
          }
          dimensions.put(name.asText(), value.asText());
        }
        sets.add(names);
      }
      for (JsonNode metric : directive.path("Metrics")) {
        String name = metric.path("Name").asText();
        String unit = metric.path("Unit").asText("None");
        JsonNode values = document.path(name);
        List<JsonNode> samples = new ArrayList<>();
        if (values.isArray()) {
          values.forEach(samples::add);
        } else {
          samples.add(values);
        }
        for (JsonNode v : samples) {
          if (!v.isNumber()) {
            throw new IllegalArgumentException("EMF metric " + name + " has no numeric value");
          }
          out.add(
              new EmfDocument(
                  directive.path("Namespace").asText(),
                  name,
                  dimensions,
                  v.asDouble(),
                  unit,
                  timestampMillis,
                  sets));
        }
      }
    }
    return out;
  }

  /** The Lambda environment (name, type, log group, context properties) with a capturing sink. */
  private final class CapturingEnvironmentProvider extends EnvironmentProvider {
    private final Environment lambda = new LambdaEnvironment();
    private final ISink sink =
        new ISink() {
          @Override
          public void accept(MetricsContext context) {
            EmfCapture.this.accept(context);
          }

          @Override
          public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
          }
        };
    private final Environment environment =
        new Environment() {
          @Override
          public boolean probe() {
            return true;
          }

          @Override
          public String getName() {
            return lambda.getName();
          }

          @Override
          public String getType() {
            return lambda.getType();
          }

          @Override
          public String getLogGroupName() {
            return lambda.getLogGroupName();
          }

          @Override
          public void configureContext(MetricsContext context) {
            lambda.configureContext(context);
          }

          @Override
          public ISink getSink() {
            return sink;
          }
        };

    @Override
    public CompletableFuture<Environment> resolveEnvironment() {
      return CompletableFuture.completedFuture(environment);
    }

    @Override
    public Environment getDefaultEnvironment() {
      return environment;
    }
  }
}
