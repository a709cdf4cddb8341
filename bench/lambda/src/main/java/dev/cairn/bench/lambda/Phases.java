package dev.cairn.bench.lambda;

import dev.cairn.aws.client.ClientSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;

/**
 * Where a constructor's time goes, without touching the handler's code: the {@link ClientSource}
 * the handler's INIT asks records when each client was built, and when the config's {@code
 * GetParameter} ran. The gaps between the events are the handler's own work (static initializers,
 * the config's parse, its priming's registration). Only with {@code BENCH_PHASES=1}: the wrapper is
 * a class of its own, so a measured run never goes through it.
 */
final class Phases implements ClientSource {

  /** One timed event, in ms since INIT started. */
  record Event(String what, double startMs, double endMs) {}

  private final ClientSource clients;
  private final long t0;
  private final List<Event> events = new ArrayList<>();

  Phases(ClientSource clients, long t0) {
    this.clients = clients;
    this.t0 = t0;
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized void add(String what, long start, long end) {
    String thread = Thread.currentThread().getName();
    events.add(
        new Event(
            what + (thread.equals("main") ? "" : " [" + thread + "]"),
            (start - t0) / 1e6,
            (end - t0) / 1e6));
  }

  /** The events, and the gaps between them, as the lines {@code PHASE <handler> ...}. */
  List<String> lines(String handler, double ctorMs) {
    List<String> out = new ArrayList<>();
    double at = 0;
    List<Event> byStart = new ArrayList<>(events());
    byStart.sort(java.util.Comparator.comparingDouble(Event::startMs));
    for (Event e : byStart) {
      if (e.startMs() - at >= 1) {
        out.add(
            String.format(
                Locale.ROOT, "PHASE %s %8.1f ms  (handler's own code)", handler, e.startMs() - at));
      }
      out.add(
          String.format(
              Locale.ROOT, "PHASE %s %8.1f ms  %s", handler, e.endMs() - e.startMs(), e.what()));
      at = Math.max(at, e.endMs());
    }
    if (ctorMs - at >= 1) {
      out.add(
          String.format(
              Locale.ROOT, "PHASE %s %8.1f ms  (handler's own code)", handler, ctorMs - at));
    }
    return out;
  }

  @Override
  public DynamoDbClient dynamoDb() {
    long s = System.nanoTime();
    DynamoDbClient c = clients.dynamoDb();
    add("build DynamoDbClient", s, System.nanoTime());
    return timed(DynamoDbClient.class, c);
  }

  @Override
  public S3Client s3() {
    long s = System.nanoTime();
    S3Client c = clients.s3();
    add("build S3Client", s, System.nanoTime());
    return timed(S3Client.class, c);
  }

  @Override
  public <C extends SdkClient> C client(Class<C> type) {
    long s = System.nanoTime();
    C c = clients.client(type);
    add("build " + type.getSimpleName(), s, System.nanoTime());
    return timed(type, c);
  }

  @Override
  public <C extends SdkClient> C client(
      Class<C> type, String region, AwsCredentialsProvider credentials) {
    long s = System.nanoTime();
    C c = clients.client(type, region, credentials);
    add("build " + type.getSimpleName() + " in " + region, s, System.nanoTime());
    return timed(type, c);
  }

  /**
   * SSM's {@code GetParameter} timed: the config read. Only SSM, through a class that overrides
   * that one operation (the interface's other operations are default methods that throw): a proxy
   * on the interface would load every request and response class of the service.
   */
  @SuppressWarnings("unchecked")
  private <C> C timed(Class<C> type, C client) {
    if (type != SsmClient.class) {
      return client;
    }
    SsmClient ssm = (SsmClient) client;
    return (C)
        new SsmClient() {
          @Override
          public GetParameterResponse getParameter(GetParameterRequest request) {
            long s = System.nanoTime();
            try {
              return ssm.getParameter(request);
            } finally {
              add("SsmClient.getParameter", s, System.nanoTime());
            }
          }

          @Override
          public String serviceName() {
            return ssm.serviceName();
          }

          @Override
          public void close() {
            ssm.close();
          }
        };
  }
}
