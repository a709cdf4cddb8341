package dev.cairn.sandbox.live;

import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.sandbox.LiveWorld;
import dev.cairn.sandbox.Reuse;
import dev.cairn.sandbox.local.http.LocalAwsEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code cairn sandbox up}: Cairn's synthesized control plane (the {@code sandbox run} world) kept
 * running on loopback until stopped. Its clock starts at the real time and runs {@code timeScale}
 * times faster: waits, bakes and the schedules (the sweeper's two minutes among them) pass
 * accordingly. A new object in the candidate bucket raises S3's {@code Object Created}, and the
 * synthesized rule starts the pipeline. One loopback endpoint ({@link LocalAwsEndpoint}) serves S3
 * (the tools account's buckets and the target accounts' bootstrap buckets), Lambda ({@code
 * Invoke}), KMS ({@code Sign}, {@code GetPublicKey}, {@code DescribeKey}), STS ({@code
 * GetCallerIdentity}, {@code AssumeRole}) and Step Functions (the reads {@code status --watch}
 * makes) over their wire protocols, to callers holding credentials it issued: at start, a session
 * of the CI role ({@link #ciSession()}) and one of the operator ({@link #operatorSession()});
 * later, the sessions its STS issues. DynamoDB Local serves the tables itself, shared by every
 * credential.
 */
public final class LiveControlPlane implements AutoCloseable {

  /** How often the runtime looks at the bucket and the schedules, in real time. */
  static final Duration TICK = Duration.ofMillis(200);

  /** How long the sessions {@code sandbox up} prints last: STS's longest. */
  static final Duration SESSION = Duration.ofHours(12);

  /** How long after a write S3's {@code Object Created} reaches EventBridge (real time). */
  static final Duration S3_EVENT_DELAY = Duration.ofSeconds(2);

  /** The options {@code sandbox up} passes. */
  public record Options(
      int dynamoDbPort,
      int s3Port,
      int endpointPort,
      double timeScale,
      PrintStream timeline,
      Path repoRoot) {}

  private final LocalDynamoDb dynamo;
  private final LocalS3 s3Server;
  private final LiveWorld world;
  private final Pacer pacer;
  private final CandidateBucketWatcher candidates;
  private final S3Client watcherS3;
  private final LocalAwsEndpoint endpoint;
  private final LocalAwsEndpoint.Session ciSession;
  private final LocalAwsEndpoint.Session operatorSession;
  private final boolean iamInline;
  private final PrintStream timeline;
  private final Thread runner;
  private volatile boolean stopping;

  private LiveControlPlane(Options o, LocalDynamoDb dynamo, LocalS3 s3) throws IOException {
    this.dynamo = dynamo;
    this.s3Server = s3;
    this.timeline = o.timeline();
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Pacer[] p = new Pacer[1];
    this.world =
        LiveWorld.start(dynamo, s3, start, o.timeline(), e -> p[0].onEvent(e), o.repoRoot());
    this.pacer = new Pacer(start, o.timeScale(), world.lock());
    p[0] = pacer;
    this.watcherS3 = s3.client();
    String candidate = world.candidateBucket();
    // Only a bucket whose template turns EventBridge notifications on raises events.
    this.candidates =
        world.notifiesEventBridge(candidate)
            ? new CandidateBucketWatcher(watcherS3, candidate, S3_EVENT_DELAY)
            : null;
    // Sessions are dated by the wall clock: their holders are other processes.
    this.endpoint =
        world.serve(LocalAwsEndpoint.start(o.endpointPort(), java.time.Clock.systemUTC()));
    this.ciSession = endpoint.issue(world.ciRoleArn(), "cairn-sandbox-ci", SESSION);
    this.operatorSession =
        endpoint.issue(world.operatorRoleArn(), "cairn-sandbox-operator", SESSION);
    this.iamInline =
        world.decideInline(
            denial -> {
              timeline.println("• IAM denied: " + denial);
              timeline.flush();
            });
    this.runner = new Thread(this::run, "cairn-live-control-plane");
    runner.setDaemon(true);
  }

  /** Starts DynamoDB Local and S3Proxy on the given ports, the world on them, and the runtime. */
  public static LiveControlPlane start(Options o) throws IOException {
    LocalDynamoDb dynamo = LocalDynamoDb.start(o.dynamoDbPort());
    LocalS3 s3;
    try {
      s3 = LocalS3.start(o.s3Port());
    } catch (RuntimeException e) {
      dynamo.close();
      throw e;
    }
    LiveControlPlane c = new LiveControlPlane(o, dynamo, s3);
    c.runner.start();
    return c;
  }

  /** The endpoint of each service, by the suffix of its {@code AWS_ENDPOINT_URL_*} variable. */
  public Map<String, URI> endpoints() {
    Map<String, URI> out = new LinkedHashMap<>();
    out.put("DYNAMODB", dynamo.endpoint());
    for (String service : java.util.List.of("S3", "KMS", "LAMBDA", "SFN", "STS")) {
      out.put(service, endpoint.uri());
    }
    return out;
  }

  /** The S3Proxy behind the endpoint (what {@code sandbox run --reuse} writes into). */
  public URI s3Proxy() {
    return s3Server.endpoint();
  }

  /** The CI role's session: what a workflow's credentials step leaves behind. */
  public LocalAwsEndpoint.Session ciSession() {
    return ciSession;
  }

  /** The operator's session: what a user's shell holds (the tools account's administrator). */
  public LocalAwsEndpoint.Session operatorSession() {
    return operatorSession;
  }

  /** Whether IAM decides every call as it is made (an evaluator was found or installed). */
  public boolean iamInline() {
    return iamInline;
  }

  /** The endpoint that serves every service but DynamoDB. */
  public LocalAwsEndpoint endpoint() {
    return endpoint;
  }

  public LiveWorld world() {
    return world;
  }

  private void run() {
    loop(this::tick, () -> stopping, this::sleep, timeline);
  }

  /**
   * Runs {@code tick} until {@code stopping}, pausing with {@code sleep} (false: interrupted)
   * between ticks. A tick that fails while stopping (close() interrupted an SDK call, which the SDK
   * turns into AbortedException) ends the loop quietly; any other failed tick (a delivery, an
   * execution, the {@code --reuse} lock check) is reported on {@code timeline} and the loop goes
   * on. {@link Pacer.Stopped} ends it.
   */
  static void loop(
      Runnable tick,
      java.util.function.BooleanSupplier stopping,
      java.util.function.BooleanSupplier sleep,
      PrintStream timeline) {
    while (!stopping.getAsBoolean()) {
      try {
        tick.run();
      } catch (Pacer.Stopped e) {
        return;
      } catch (RuntimeException e) {
        if (stopping.getAsBoolean()) {
          return;
        }
        timeline.println("• error: " + e);
        timeline.flush();
      }
      if (!sleep.getAsBoolean()) {
        return;
      }
    }
  }

  /** One tick: unless a {@code sandbox run --reuse} holds the stores, time, events and work. */
  private void tick() {
    if (Reuse.paused(watcherS3, Instant.now())) {
      return;
    }
    world.lock().lock();
    try {
      Instant now = pacer.now();
      if (world.clock().instant().isBefore(now)) {
        world.clock().set(now);
      }
      if (candidates != null) {
        for (String key : candidates.newObjects()) {
          world.objectCreated(candidates.bucket(), key);
        }
      }
      world.drain();
    } finally {
      world.lock().unlock();
    }
  }

  /** One tick's pause; false when interrupted (stopping). */
  private boolean sleep() {
    try {
      Thread.sleep(TICK.toMillis());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stopping = true;
    runner.interrupt();
    try {
      runner.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endpoint.close();
    watcherS3.close();
    world.close();
  }
}
