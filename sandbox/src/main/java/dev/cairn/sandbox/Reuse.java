package dev.cairn.sandbox;

import dev.cairn.asl.ExecutionListener;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sandbox run --reuse}: the run writes into the DynamoDB Local and S3Proxy of a running
 * {@code cairn sandbox up} (named by the {@code AWS_ENDPOINT_URL_*} lines it prints) instead of
 * starting its own, so scenarios accumulate one history that {@code cairn dashboard}, {@code kpi}
 * and {@code evidence} read.
 *
 * <p>What persists is what lives there: the ledger, the audit chain and its head, the anchors, the
 * evidence records, the blessed contexts. The trust configuration and the record MAC key come from
 * the same build's assembly in both processes. The emulated target accounts (CloudFormation,
 * CodeBuild, CloudWatch) are per process: each run's scenario deploys its own artifacts into fresh
 * accounts. So that nothing collides, each run publishes as its own service ({@code
 * sandbox-run-<scenario>}, numbered when taken), whose pipelines {@code sandbox up} leaves to it,
 * and its clock starts after the chain's newest entry (audit timestamps and dated bless keys never
 * go backwards).
 */
public record Reuse(URI dynamoDb, URI s3) {

  /**
   * The example service's name prefix under --reuse. {@code sandbox up} leaves the pipelines of
   * these services to the run that publishes them (it raises no Object Created for them).
   */
  public static final String SERVICE_PREFIX = "sandbox-run-";

  public Reuse {
    java.util.Objects.requireNonNull(dynamoDb, "dynamoDb");
    java.util.Objects.requireNonNull(s3, "s3");
  }

  /**
   * The sandbox's own coordination bucket (no control-plane resource: the template has none like
   * it). While {@link #LOCK_KEY} is there and unexpired, {@code sandbox up} pauses: no clock
   * advance, no event, no schedule, so its sweeper cannot requeue the run's in-flight artifacts
   * (two control planes on one ledger would race for their leases).
   */
  public static final String LOCK_BUCKET = "cairn-sandbox-local";

  public static final String LOCK_KEY = "sandbox-run-reuse.lock";

  /** How long the run waits after taking the lock before it acts. */
  static final Duration LOCK_SETTLE = Duration.ofMillis(500);

  /** How long a lock holds if its run dies without releasing it. */
  static final Duration LOCK_LIFETIME = Duration.ofMinutes(10);

  /** Whether a {@code sandbox run --reuse} holds the sandbox now ({@code sandbox up}'s check). */
  public static boolean paused(S3Client s3, Instant now) {
    try {
      String expires = s3.getObjectAsBytes(r -> r.bucket(LOCK_BUCKET).key(LOCK_KEY)).asUtf8String();
      return now.isBefore(Instant.parse(expires.strip()));
    } catch (java.time.format.DateTimeParseException unreadable) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false; // no lock (or no run ever made the bucket)
      }
      throw e;
    }
  }

  private void lock(S3Client s, Instant expires) {
    try {
      s.createBucket(r -> r.bucket(LOCK_BUCKET));
    } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException
        | software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException e) {
      // made by an earlier run
    }
    s.putObject(
        r -> r.bucket(LOCK_BUCKET).key(LOCK_KEY),
        software.amazon.awssdk.core.sync.RequestBody.fromString(expires.toString()));
  }

  /** Ends the pause {@link #world} began. */
  void release() {
    try (S3Client s = LocalS3.attach(s3).client()) {
      s.deleteObject(r -> r.bucket(LOCK_BUCKET).key(LOCK_KEY));
    }
  }

  /** The running sandbox is missing, unreachable or not a Cairn sandbox. */
  public static final class NotRunningException extends RuntimeException {
    NotRunningException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The endpoints from {@code AWS_ENDPOINT_URL_DYNAMODB} and {@code AWS_ENDPOINT_URL_S3} in {@code
   * env} (what {@code sandbox up} prints), else their system properties {@code
   * aws.endpointUrlDynamoDb} and {@code aws.endpointUrlS3}; refused when either is missing.
   */
  public static Reuse fromEnvironment(Map<String, String> env) {
    // The SDK's system-property twins too, as every other client honours them.
    String dynamo =
        env.getOrDefault(
            "AWS_ENDPOINT_URL_DYNAMODB", System.getProperty("aws.endpointUrlDynamoDb"));
    // sandbox up's S3 endpoint answers only the sessions it issued, IAM deciding each call; the
    // run writes into the S3Proxy behind it, whose address sandbox up prints for this.
    String s3 =
        env.getOrDefault(
            "CAIRN_SANDBOX_S3PROXY",
            System.getProperty(
                "cairn.sandboxS3Proxy",
                env.getOrDefault("AWS_ENDPOINT_URL_S3", System.getProperty("aws.endpointUrlS3"))));
    if (dynamo == null || dynamo.isBlank() || s3 == null || s3.isBlank()) {
      throw new NotRunningException(
          "--reuse needs a running `cairn sandbox up`: paste the export lines it prints"
              + " (AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3 are not set)",
          null);
    }
    try {
      return new Reuse(URI.create(dynamo.strip()), URI.create(s3.strip()));
    } catch (IllegalArgumentException e) {
      throw new NotRunningException("--reuse: an AWS_ENDPOINT_URL_* value is not a URL", e);
    }
  }

  /**
   * The world on the running sandbox's servers, checked to be one, publishing as a new service,
   * with {@code sandbox up} paused until {@link #release}.
   */
  SandboxWorld world(ControlPlaneAssembly assembly, ExecutionListener progress, Scenario scenario)
      throws IOException {
    LocalDynamoDb dynamo = LocalDynamoDb.attach(dynamoDb);
    LocalS3 s3Server = LocalS3.attach(s3);
    Instant start;
    try (DynamoDbClient d = dynamo.client();
        S3Client s = s3Server.client()) {
      requireRunning(d, s);
      lock(s, Instant.now().plus(LOCK_LIFETIME));
      try {
        // A tick of sandbox up that began before the lock ends first (it takes milliseconds).
        Thread.sleep(LOCK_SETTLE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      start = startAfter(d);
    }
    SandboxWorld w;
    try {
      w = new SandboxWorld(assembly, progress, dynamo, s3Server, start);
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
    try {
      w.service = freeService(w.dynamoDb, SERVICE_PREFIX + scenario.wireName());
    } catch (RuntimeException e) {
      w.close();
      release();
      throw e;
    }
    return w;
  }

  /** The tables and the candidate bucket the assembly defines must be there. */
  private void requireRunning(DynamoDbClient d, S3Client s) {
    try {
      d.describeTable(r -> r.tableName(SandboxWorld.METADATA_TABLE));
      d.describeTable(r -> r.tableName(SandboxWorld.AUDIT_TABLE));
    } catch (SdkException e) {
      throw new NotRunningException(
          "--reuse: no `cairn sandbox up` answers at AWS_ENDPOINT_URL_DYNAMODB="
              + dynamoDb
              + " with the table "
              + SandboxWorld.METADATA_TABLE
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    try {
      s.headBucket(r -> r.bucket(SandboxWorld.CANDIDATE));
    } catch (SdkException e) {
      throw new NotRunningException(
          "--reuse: no `cairn sandbox up` answers at AWS_ENDPOINT_URL_S3="
              + s3
              + " with the bucket "
              + SandboxWorld.CANDIDATE
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** A minute after now or after the chain's newest entry, whichever is later. */
  private static Instant startAfter(DynamoDbClient d) {
    Instant start = Instant.now();
    AuditHead head =
        DynamoDbAuditLog.withoutMacCheck(d, SandboxWorld.AUDIT_TABLE, AuditChain.DEFAULT_CHAIN_ID)
            .head();
    if (head.timestamp() != null && !head.timestamp().isBlank()) {
      Instant newest = Instant.parse(head.timestamp());
      if (newest.isAfter(start)) {
        start = newest;
      }
    }
    return start.plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
  }

  /** {@code base}, or {@code base-2}, {@code base-3}… : the first the ledger holds no record of. */
  private static String freeService(DynamoDbClient d, String base) {
    for (int n = 1; ; n++) {
      String service = n == 1 ? base : base + "-" + n;
      boolean taken =
          d.query(
                      r ->
                          r.tableName(SandboxWorld.METADATA_TABLE)
                              .keyConditionExpression("service = :s")
                              .expressionAttributeValues(
                                  Map.of(":s", AttributeValue.fromS(service)))
                              .limit(1))
                  .count()
              > 0;
      if (!taken) {
        return service;
      }
    }
  }
}
