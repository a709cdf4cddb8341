package dev.cairn.aws.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.JcaSignatures;
import dev.cairn.core.signature.PemKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * SnapStart priming: before Lambda takes the snapshot of a published version, each handler runs its
 * hot paths once, so a restored sandbox starts with their classes loaded and initialized instead of
 * loading them on its first invocation (AWS's documented pattern: an {@code org.crac} {@link
 * Resource} whose {@code beforeCheckpoint} does the work).
 *
 * <p>What priming may not do decides its shape. A snapshot is shared by every sandbox restored from
 * it, so nothing per-sandbox or short-lived may be in it:
 *
 * <ul>
 *   <li><b>No AWS call.</b> Each SDK step builds a twin of the handler's client (same service, same
 *       HTTP client, marshallers, signer, endpoint rules, interceptors and unmarshallers) whose
 *       endpoint is a {@link LoopbackResponder} on 127.0.0.1 in this process: the request goes
 *       through the JDK's HTTP stack and a real socket, and the canned answer through the
 *       unmarshaller, so the first real call finds that code loaded and run; nothing leaves the
 *       process, so no call can have a side effect.
 *   <li><b>No connection kept.</b> The responder answers {@code Connection: close} and is stopped
 *       before the snapshot is taken: a socket cannot be restored, and none is left open.
 *   <li><b>No credentials.</b> The twins sign with a fixed, invalid key ({@link
 *       #PRIMING_ACCESS_KEY_ID}); the default credentials chain is never asked, so no session
 *       credentials are resolved into the snapshot.
 *   <li><b>No configuration.</b> Steps never touch the handler's clients or the control-plane
 *       config; what must be fresh after a restore is refreshed in {@link #afterRestore} (the trust
 *       configuration: {@link ControlPlaneWiring} registers {@link #onRestore}).
 *   <li><b>No key material.</b> The signature step verifies a fixed signature on a fixed public key
 *       ({@link #PRIMING_PUBLIC_KEY}); it generates no key and keeps nothing random.
 * </ul>
 *
 * A step that fails throws from {@code beforeCheckpoint}: Lambda then fails to publish the version
 * rather than ship a function that claims to be primed and is not.
 *
 * <p>The steps are independent and run concurrently, on threads that end before {@link #prime()}
 * returns (docs/decisions/2026-12-07-concurrent-init.md).
 */
public final class Priming implements Resource {

  private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

  /** The access key the twins sign with: not a key of any account, never sent anywhere. */
  public static final String PRIMING_ACCESS_KEY_ID = "AKIACAIRNPRIMING0000";

  /** What every twin signs with: {@link #PRIMING_ACCESS_KEY_ID}, never the default chain's. */
  private static final StaticCredentialsProvider PRIMING_CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create(PRIMING_ACCESS_KEY_ID, "priming-only"));

  /** The header every canned response carries: how a test tells them from real answers. */
  public static final String PRIMING_RESPONSE_HEADER = "x-cairn-priming";

  /** Any region: the twins never resolve it from the environment, and reach only the loopback. */
  private static final Region REGION = Region.US_EAST_1;

  /**
   * The signature step's public key (ECDSA P-256, SubjectPublicKeyInfo): a key of no signer, whose
   * private half was dropped when {@link #PRIMING_SIGNATURE} was made. Verifying rather than
   * signing is what the functions do, and generating a key pair cost INIT without sparing the first
   * invocation anything.
   */
  static final String PRIMING_PUBLIC_KEY =
      """
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE6fq1/v0swgrvAjEU290a4Z01WsWz
      ZYiCKGK5o1RIt+14Od44wmbLsxqntQgZ7dKO9zQXfqPpEmCpSoIqK2FLRQ==
      -----END PUBLIC KEY-----
      """;

  /**
   * {@code "cairn priming"} signed (SHA256withECDSA, DER) with {@link #PRIMING_PUBLIC_KEY}'s key.
   */
  private static final String PRIMING_SIGNATURE =
      "MEUCIAIgGfYyjTZ5Zvs8ylGI0/w9rR3LQYsbtonxlHKGCQL1AiEAjUBSywS4XxMcRQCTcKNfzFaIkCo8daQlc/GYTWXhGDc=";

  /** The responder of the priming in progress on this thread: where {@link #sdk} twins call. */
  private static final ThreadLocal<LoopbackResponder> RESPONDER = new ThreadLocal<>();

  /** One thing a handler primes, named so the tests and the bench can say what ran. */
  public record Step(String name, Action action) {
    public Step {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(action, "action");
    }
  }

  /** A step's work. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private final String function;
  private final List<Step> steps;
  private final Runnable afterRestore;
  private volatile List<String> lastRun = List.of();

  private Priming(String function, List<Step> steps, Runnable afterRestore) {
    this.function = function;
    this.steps = List.copyOf(steps);
    this.afterRestore = afterRestore;
  }

  /**
   * Registers {@code steps} to run before the snapshot. The handler keeps the returned resource in
   * a field: the CRaC context holds resources weakly.
   */
  public static Priming register(String function, Step... steps) {
    Priming p = new Priming(function, List.of(steps), () -> {});
    Core.getGlobalContext().register(p);
    return p;
  }

  /** Registers {@code refresh} to run after every restore; the caller keeps the resource. */
  public static Priming onRestore(String what, Runnable refresh) {
    Priming p = new Priming(what, List.of(), refresh);
    Core.getGlobalContext().register(p);
    return p;
  }

  /** The function (or component) this resource belongs to. */
  public String function() {
    return function;
  }

  /** The names of the steps, in the order they run. */
  public List<String> stepNames() {
    return steps.stream().map(Step::name).toList();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    afterRestore.run();
  }

  /**
   * Runs every step against one loopback responder, stopped before this returns, the steps
   * concurrently on up to {@link #threads()} threads that end before it returns (no thread of
   * priming's is left for the snapshot); the first failure, in the steps' order, names its step.
   * Its one log line, with each step's time, also primes the logging path (the JSON layout loads on
   * the first line written).
   */
  public void prime() throws Exception {
    long start = System.nanoTime();
    List<String> timed = new java.util.ArrayList<>();
    int answered;
    int threads = Math.min(threads(), Math.max(1, steps.size()));
    try (LoopbackResponder responder = LoopbackResponder.start()) {
      List<Thread> started = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = thread(r);
                started.add(t);
                return t;
              });
      try {
        List<java.util.concurrent.Future<Long>> runs = new java.util.ArrayList<>();
        for (Step s : steps) {
          runs.add(pool.submit(() -> run(s, responder)));
        }
        Exception failure = null;
        for (int i = 0; i < steps.size(); i++) {
          Step s = steps.get(i);
          try {
            timed.add(s.name() + " " + runs.get(i).get() / 1_000_000 + " ms");
          } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof Exception) && !(cause instanceof LinkageError)) {
              throw (Error) cause;
            }
            if (failure == null) {
              failure =
                  new IllegalStateException(
                      "priming " + function + ": step " + s.name() + " failed: " + cause, cause);
            }
          }
        }
        if (failure != null) {
          throw failure;
        }
      } finally {
        pool.shutdownNow();
        if (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
          throw new IllegalStateException("priming " + function + ": a step did not end");
        }
        // The pool counts as terminated once its workers have left their loop, a moment before
        // each thread has ended: wait for the threads themselves, so none is in the snapshot.
        for (Thread t : started) {
          t.join(java.util.concurrent.TimeUnit.MINUTES.toMillis(1));
          if (t.isAlive()) {
            throw new IllegalStateException("priming " + function + ": a thread did not end");
          }
        }
      }
      answered = responder.answered();
    }
    lastRun = List.copyOf(timed);
    LOG.info(
        "SnapStart priming of {} done in {} ms on {} threads, {} calls answered on the loopback: {}",
        function,
        (System.nanoTime() - start) / 1_000_000,
        threads,
        answered,
        timed);
  }

  /** One step on a priming thread, its SDK twins pointed at {@code responder}; its time in ns. */
  private static long run(Step s, LoopbackResponder responder) throws Exception {
    long stepStart = System.nanoTime();
    RESPONDER.set(responder);
    try {
      s.action().run();
    } finally {
      RESPONDER.remove();
    }
    return System.nanoTime() - stepStart;
  }

  /**
   * How many steps run at once: the processors this JVM sees. The steps are independent (each SDK
   * step builds its own twin; the event, signature and metrics steps share nothing mutable), and
   * most of their time is class loading and first runs, which proceed in parallel.
   */
  static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static Thread thread(Runnable r) {
    Thread t = new Thread(r, "cairn-priming");
    t.setDaemon(true);
    return t;
  }

  /** Each step's time in the last {@link #prime()} that succeeded ({@code "<step> <n> ms"}). */
  public List<String> lastRun() {
    return lastRun;
  }

  // --- Jackson and the handler's own records ----------------------------------------------------

  /**
   * The handler's representative event ({@code resource} next to {@code owner}): read as the
   * handler reads its payload, handed to {@code readAs} (the handler's own parsing into its
   * records), then written back compact and canonical, as results and audit entries are.
   */
  public static Step event(Class<?> owner, String resource, Consumer<ObjectNode> readAs) {
    return new Step(
        "event " + resource,
        () -> {
          byte[] bytes = eventBytes(owner, resource);
          ObjectNode event = LambdaJson.readObject(new ByteArrayInputStream(bytes));
          readAs.accept(event);
          LambdaJson.write(new ByteArrayOutputStream(), event);
          CanonicalJson.canonicalize(event);
          Json.pretty(event);
        });
  }

  /** The priming event {@code resource} next to {@code owner}. */
  private static byte[] eventBytes(Class<?> owner, String resource) throws IOException {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no priming event " + resource + " next to " + owner);
      }
      return in.readAllBytes();
    }
  }

  // --- JCA and BouncyCastle ---------------------------------------------------------------------

  /**
   * The signature path the verifiers use: a public key read from PEM (the trust policy's key
   * format, through BouncyCastle), its fingerprint, the verification of a signature made with it,
   * and SHA-256.
   */
  public static Step signatures() {
    return new Step(
        "signatures",
        () -> {
          PublicKey key = PemKeys.readPublicKey(PRIMING_PUBLIC_KEY);
          PemKeys.fingerprint(key);
          byte[] message = "cairn priming".getBytes(StandardCharsets.UTF_8);
          byte[] signature = java.util.Base64.getDecoder().decode(PRIMING_SIGNATURE);
          if (!JcaSignatures.verify(PemKeys.algorithmOf(key), key, message, signature)) {
            throw new IllegalStateException("the priming signature did not verify on its key");
          }
          MessageDigest.getInstance("SHA-256").digest(message);
        });
  }

  // --- SDK clients and their marshallers --------------------------------------------------------

  /** DynamoDB: the ledger's and audit log's reads, conditional writes and transactions. */
  public static Step dynamoDb() {
    Map<String, AttributeValue> key =
        Map.of("pk", AttributeValue.fromS("priming"), "sk", AttributeValue.fromN("0"));
    return sdk(
        "DynamoDB",
        DynamoDbClient::builder,
        (DynamoDbClient c) -> {
          c.getItem(r -> r.tableName("priming").key(key).consistentRead(true));
          // Answered ConditionalCheckFailed: the error unmarshalling a lost race takes.
          try {
            c.putItem(
                r ->
                    r.tableName("priming")
                        .item(key)
                        .conditionExpression("attribute_not_exists(pk)"));
            throw new IllegalStateException("the loopback did not refuse the conditional put");
          } catch (ConditionalCheckFailedException expected) {
            // the path a conditional write that lost takes
          }
          c.updateItem(
              r ->
                  r.tableName("priming")
                      .key(key)
                      .updateExpression("SET #v = :v")
                      .conditionExpression("#v < :v")
                      .expressionAttributeNames(Map.of("#v", "version"))
                      .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1"))));
          c.query(
              r ->
                  r.tableName("priming")
                      .keyConditionExpression("pk = :p")
                      .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("priming"))));
          c.transactWriteItems(
              r -> r.transactItems(t -> t.put(p -> p.tableName("priming").item(key))));
        });
  }

  /** S3: manifests and files read, anchors listed, evidence and anchors written. */
  public static Step s3() {
    return new Step(
        "S3",
        () -> {
          // Built by AwsClients, as every Cairn S3 client is (path-style at an endpoint override,
          // no Expect: 100-continue, url-connection), at the loopback and with the priming key.
          try (S3Client c =
              new dev.cairn.aws.client.AwsClients(responder("an SDK step").endpoint(), REGION)
                  .s3(REGION, PRIMING_CREDENTIALS)) {
            c.getObjectAsBytes(r -> r.bucket("priming").key("priming.json")).asByteArray();
            c.headObject(r -> r.bucket("priming").key("priming.json"));
            c.listObjectsV2(r -> r.bucket("priming").prefix("priming/")).contents();
            c.putObject(
                r -> r.bucket("priming").key("priming.json").contentType("application/json"),
                RequestBody.fromString("{}"));
          }
        });
  }

  /** KMS: the item MACs every ledger and audit item carries. */
  public static Step kms() {
    return sdk(
        "KMS",
        KmsClient::builder,
        (KmsClient c) -> {
          SdkBytes message = SdkBytes.fromUtf8String("priming");
          c.generateMac(
              r -> r.keyId("alias/priming").macAlgorithm("HMAC_SHA_256").message(message));
          c.verifyMac(
              r ->
                  r.keyId("alias/priming")
                      .macAlgorithm("HMAC_SHA_256")
                      .message(message)
                      .mac(message));
        });
  }

  /** SSM: the control-plane config and the break-glass flag. */
  public static Step ssm() {
    return sdk("SSM", SsmClient::builder, (SsmClient c) -> c.getParameter(r -> r.name("priming")));
  }

  /** SNS: alerts and anchors. */
  public static Step sns() {
    return sdk(
        "SNS",
        SnsClient::builder,
        (SnsClient c) ->
            c.publish(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:priming").message("{}")));
  }

  /**
   * A step that builds a twin client on the production HTTP client ({@code url-connection-client}),
   * with the priming key, a fixed region and the loopback responder as its endpoint, makes {@code
   * calls} on it and closes it. The builder is made when the step runs, on a priming thread, not in
   * the handler's constructor, which registers the steps. The adapter modules define their clients'
   * steps with it, next to the calls they prime (e.g. {@code AssumedRoleStackDeployers.priming()}).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <C extends SdkClient> Step sdk(
      String service, Supplier<? extends AwsClientBuilder<?, ?>> builder, Consumer<C> calls) {
    return new Step(
        service,
        () -> {
          try (C client = (C) twin(builder.get(), responder("an SDK step").endpoint()).build()) {
            calls.accept(client);
          }
        });
  }

  /** The responder of the {@link #prime()} running on this thread; {@code what} runs only there. */
  private static LoopbackResponder responder(String what) {
    LoopbackResponder responder = RESPONDER.get();
    if (responder == null) {
      throw new IllegalStateException(what + " runs only inside prime()");
    }
    return responder;
  }

  /**
   * {@code builder} as a twin: the production HTTP client, the priming key, a fixed region, and
   * {@code endpoint} (the loopback responder) as its only endpoint.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AwsClientBuilder<?, ?> twin(AwsClientBuilder<?, ?> builder, URI endpoint) {
    AwsClientBuilder b =
        builder.region(REGION).endpointOverride(endpoint).credentialsProvider(PRIMING_CREDENTIALS);
    ((SdkSyncClientBuilder) b).httpClientBuilder(UrlConnectionHttpClient.builder());
    return b;
  }

  // --- the handler's own invocation -------------------------------------------------------------

  /**
   * The environment of priming's invocation: every variable the wiring and the adapters require,
   * naming resources of no account (000000000000), reached only through the loopback.
   */
  static final Map<String, String> ENVIRONMENT =
      Map.ofEntries(
          Map.entry("AWS_REGION", REGION.id()),
          Map.entry("AWS_LAMBDA_FUNCTION_NAME", "cairn-snapstart-priming"),
          Map.entry("METADATA_TABLE_NAME", "priming-artifacts"),
          Map.entry("AUDIT_TABLE_NAME", "priming-audit"),
          Map.entry("IDEMPOTENCY_TABLE_NAME", "priming-idempotency"),
          Map.entry("CANDIDATE_BUCKET", "priming-candidates"),
          Map.entry("RELEASE_BUCKET", "priming-releases"),
          Map.entry("CONTEXTS_BUCKET", "priming-contexts"),
          Map.entry("AUDIT_ANCHORS_BUCKET", "priming-anchors"),
          Map.entry("CONTROL_PLANE_CONFIG_PARAMETER", "/cairn/priming/control-plane-config"),
          Map.entry("BREAK_GLASS_PARAMETER", "/cairn/priming/break-glass"),
          Map.entry("RECORD_MAC_KEY_ARN", "arn:aws:kms:us-east-1:000000000000:key/priming"),
          Map.entry("ALERT_TOPIC_ARN", "arn:aws:sns:us-east-1:000000000000:priming-alerts"),
          Map.entry("ANCHOR_TOPIC_ARN", "arn:aws:sns:us-east-1:000000000000:priming-anchors"),
          Map.entry("EVENT_BUS_NAME", "priming"),
          Map.entry(
              "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:priming"));

  private static final String CONTROL_PLANE_CONFIG_RESOURCE = "priming-control-plane-config.json";

  /**
   * The control-plane config priming's invocation reads (every parameter the loopback answers): one
   * chain, {@code dev} then {@code prod}; CI's signer key is {@link #PRIMING_PUBLIC_KEY} and the
   * operator key another public key whose private half was dropped (an operator key must differ
   * from CI's): keys of no signer.
   */
  static String controlPlaneConfig() {
    try (InputStream in = Priming.class.getResourceAsStream(CONTROL_PLANE_CONFIG_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no " + CONTROL_PLANE_CONFIG_RESOURCE + " next to Priming");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Whether a priming step is running on this thread (its log lines say so). */
  static boolean inProgress() {
    return RESPONDER.get() != null;
  }

  /**
   * The handler's own invocation of its representative event ({@code resource} next to {@code
   * owner}): {@code handler} builds it on a {@link ControlPlaneWiring} of its own, whose clients
   * are twins at the loopback responder, whose environment is {@link #ENVIRONMENT}, whose config is
   * {@link #controlPlaneConfig()}, and whose metrics are dropped. So the use case's own code (its
   * composition, domain classes, item codecs, the JSON of its answer and the logging of its
   * outcome) has run once before the snapshot, and nothing of it reaches AWS: the function's own
   * clients and config are not touched. Its log lines carry {@code snapstart_priming=true}.
   *
   * <p>The loopback answers every read as empty, so the invocation takes the path of an artifact or
   * request it does not know; {@code outcome} is that path: {@code "returned"}, or the exception
   * the handler throws as its simple name, optionally followed by {@code ": "} and the start of its
   * message. Any other outcome fails the step, so a canned answer or a variable that stops matching
   * what the use case reads is found here (at publish time, and by each jar's tests), not by a
   * slower first invocation.
   */
  public static Step invocation(
      Class<?> owner,
      String resource,
      String outcome,
      java.util.function.Function<
              ControlPlaneWiring,
              ? extends com.amazonaws.services.lambda.runtime.RequestStreamHandler>
          handler) {
    return new Step(
        "invocation " + resource,
        () -> {
          LoopbackResponder responder = responder("an invocation step");
          byte[] event = eventBytes(owner, resource);
          LambdaRuntime runtime =
              new LambdaRuntime(
                  ENVIRONMENT,
                  new LoopbackClients(responder.endpoint()),
                  java.time.Clock.systemUTC(),
                  d -> {});
          try {
            handler
                .apply(new ControlPlaneWiring(runtime, true))
                .handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
          } catch (RuntimeException e) {
            String threw = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!threw.startsWith(outcome.contains(": ") ? outcome : outcome + ": ")) {
              throw new IllegalStateException(
                  "the priming invocation threw " + threw + ", expected " + outcome, e);
            }
            return;
          }
          if (!outcome.equals("returned")) {
            throw new IllegalStateException("the priming invocation returned, expected " + outcome);
          }
        });
  }

  /**
   * Priming's client source: every client a twin at the loopback responder, signed with the priming
   * key, whatever account, region or credentials it is asked for (an assumed role's session
   * included).
   */
  private record LoopbackClients(dev.cairn.aws.client.SdkClientSource production)
      implements dev.cairn.aws.client.ClientSource {

    /**
     * Built as the functions build theirs ({@code SdkClientSource}), with the loopback endpoint.
     */
    LoopbackClients(URI endpoint) {
      this(
          new dev.cairn.aws.client.SdkClientSource(
              new dev.cairn.aws.client.AwsClients(endpoint, null)));
    }

    @Override
    public DynamoDbClient dynamoDb() {
      return client(DynamoDbClient.class);
    }

    @Override
    public S3Client s3() {
      return client(S3Client.class);
    }

    @Override
    public <C extends SdkClient> C client(Class<C> type) {
      return production.client(type, REGION.id(), PRIMING_CREDENTIALS);
    }

    @Override
    public <C extends SdkClient> C client(
        Class<C> type,
        String region,
        software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
      return client(type);
    }
  }

  /** The steps of the clients every control-plane function shares (this module's). */
  public static List<Step> sharedSdkSteps() {
    return List.of(dynamoDb(), s3(), kms(), ssm(), sns());
  }
}
