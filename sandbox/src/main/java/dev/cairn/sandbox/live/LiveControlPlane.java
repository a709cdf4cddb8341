package dev.cairn.sandbox.live;

import dev.cairn.sandbox.LiveWorld;
import dev.cairn.sandbox.Reuse;
import dev.cairn.sandbox.local.http.Callers;
import dev.cairn.sandbox.local.http.KmsEndpoint;
import dev.cairn.sandbox.local.http.LambdaInvokeEndpoint;
import dev.cairn.sandbox.local.http.StepFunctionsEndpoint;
import dev.cairn.sandbox.local.http.StsEndpoint;
import dev.cairn.testing.LocalDynamoDb;
import dev.cairn.testing.LocalS3;
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
 * synthesized rule starts the pipeline; the CLI reaches Lambda ({@code Invoke}), KMS ({@code Sign},
 * {@code GetPublicKey}, {@code DescribeKey}), STS ({@code GetCallerIdentity}, {@code AssumeRole})
 * and Step Functions (the reads {@code status --watch} makes) over their wire protocols.
 */
public final class LiveControlPlane implements AutoCloseable {

  /** How often the runtime looks at the bucket and the schedules, in real time. */
  static final Duration TICK = Duration.ofMillis(200);

  /** How long after a write S3's {@code Object Created} reaches EventBridge (real time). */
  static final Duration S3_EVENT_DELAY = Duration.ofSeconds(2);

  /** The options {@code sandbox up} passes. */
  public record Options(
      int dynamoDbPort, int s3Port, double timeScale, PrintStream timeline, Path repoRoot) {}

  private final LocalDynamoDb dynamo;
  private final LocalS3 s3Server;
  private final LiveWorld world;
  private final Pacer pacer;
  private final CandidateBucketWatcher candidates;
  private final S3Client watcherS3;
  private final LambdaInvokeEndpoint lambda;
  private final StepFunctionsEndpoint stepFunctions;
  private final KmsEndpoint kms;
  private final StsEndpoint sts;
  private final Callers callers;
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
    this.callers = new Callers(world.ciRoleArn());
    this.lambda = LambdaInvokeEndpoint.start(0, callers, world::lambda, world.lock());
    this.stepFunctions =
        StepFunctionsEndpoint.start(
            0, world.stepFunctions(), world.stateMachineArn(), world::history, world.lock());
    this.kms = KmsEndpoint.start(0, world.kms(), world.lock());
    this.sts =
        StsEndpoint.start(
            0, callers, java.util.Set.copyOf(world.roleArns()), java.time.Clock.systemUTC());
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
    out.put("S3", s3Server.endpoint());
    out.put("KMS", kms.endpoint());
    out.put("LAMBDA", lambda.endpoint());
    out.put("SFN", stepFunctions.endpoint());
    out.put("STS", sts.endpoint());
    return out;
  }

  public LiveWorld world() {
    return world;
  }

  public Callers callers() {
    return callers;
  }

  private void run() {
    while (!stopping) {
      // A `sandbox run --reuse` writes into these stores meanwhile: the control plane waits.
      if (Reuse.paused(watcherS3, Instant.now())) {
        if (!sleep()) {
          return;
        }
        continue;
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
      } catch (Pacer.Stopped e) {
        return;
      } catch (RuntimeException e) {
        // One failed delivery or execution does not stop the control plane; it is reported.
        if (!stopping) {
          timeline.println("• error: " + e);
          timeline.flush();
        }
      } finally {
        world.lock().unlock();
      }
      if (!sleep()) {
        return;
      }
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
    lambda.close();
    stepFunctions.close();
    kms.close();
    sts.close();
    watcherS3.close();
    world.close();
  }
}
