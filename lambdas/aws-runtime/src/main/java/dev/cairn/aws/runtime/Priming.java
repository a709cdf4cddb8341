package dev.cairn.aws.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.JcaSignatures;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
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
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
 *       marshallers, signer, endpoint rules, interceptors and unmarshallers) whose HTTP client
 *       answers every request in memory with an empty success: the request is marshalled, signed
 *       and its body read; nothing leaves the process, so no call can have a side effect.
 *   <li><b>No credentials.</b> The twins sign with a fixed, invalid key ({@link
 *       #PRIMING_ACCESS_KEY_ID}); the default credentials chain is never asked, so no session
 *       credentials are resolved into the snapshot.
 *   <li><b>No configuration.</b> Steps never touch the handler's clients or the control-plane
 *       config; what must be fresh after a restore is refreshed in {@link #afterRestore} (the trust
 *       configuration: {@link ControlPlaneWiring} registers {@link #onRestore}).
 *   <li><b>No randomness kept.</b> The signature step's key pair is generated, used and dropped.
 * </ul>
 *
 * A step that fails throws from {@code beforeCheckpoint}: Lambda then fails to publish the version
 * rather than ship a function that claims to be primed and is not.
 */
public final class Priming implements Resource {

  private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

  /** The access key the twins sign with: not a key of any account, never sent anywhere. */
  public static final String PRIMING_ACCESS_KEY_ID = "AKIACAIRNPRIMING0000";

  /** The header every canned response carries: how a test tells them from real answers. */
  public static final String PRIMING_RESPONSE_HEADER = "x-cairn-priming";

  /** Any region: the twins never resolve it from the environment, and never connect. */
  private static final Region REGION = Region.US_EAST_1;

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
   * Runs every step in order; the first failure names its step. Its one log line also primes the
   * logging path (the JSON layout loads on the first line written).
   */
  public void prime() throws Exception {
    long start = System.nanoTime();
    for (Step s : steps) {
      try {
        s.action().run();
      } catch (Exception | LinkageError e) {
        throw new IllegalStateException(
            "priming " + function + ": step " + s.name() + " failed: " + e, e);
      }
    }
    LOG.info(
        "SnapStart priming of {} done in {} ms: {}",
        function,
        (System.nanoTime() - start) / 1_000_000,
        stepNames());
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
          byte[] bytes;
          try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
              throw new IOException("no priming event " + resource + " next to " + owner);
            }
            bytes = in.readAllBytes();
          }
          ObjectNode event = LambdaJson.readObject(new ByteArrayInputStream(bytes));
          readAs.accept(event);
          LambdaJson.write(new ByteArrayOutputStream(), event);
          CanonicalJson.canonicalize(event);
          Json.pretty(event);
        });
  }

  // --- JCA and BouncyCastle ---------------------------------------------------------------------

  /**
   * The signature path the verifiers use: a throwaway ECDSA P-256 key, its PEM round trip (the
   * trust policy's key format, read through BouncyCastle), a signature and its verification, and
   * SHA-256.
   */
  public static Step signatures() {
    return new Step(
        "signatures",
        () -> {
          KeyPair pair = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
          PublicKey read = PemKeys.readPublicKey(PemKeys.toPem(pair.getPublic()));
          PemKeys.fingerprint(read);
          byte[] message = "cairn priming".getBytes(StandardCharsets.UTF_8);
          byte[] signature =
              JcaSignatures.sign(SignatureAlgorithm.ECDSA_SHA_256, pair.getPrivate(), message);
          if (!JcaSignatures.verify(PemKeys.algorithmOf(read), read, message, signature)) {
            throw new IllegalStateException("a signature did not verify on its own key");
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
        DynamoDbClient.builder(),
        (DynamoDbClient c) -> {
          c.getItem(r -> r.tableName("priming").key(key).consistentRead(true));
          c.putItem(
              r ->
                  r.tableName("priming").item(key).conditionExpression("attribute_not_exists(pk)"));
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

  /** S3: manifests and files read, evidence and anchors written. */
  public static Step s3() {
    return sdk(
        "S3",
        S3Client.builder()
            .forcePathStyle(true)
            .overrideConfiguration(
                o ->
                    o.addExecutionInterceptor(
                        new dev.cairn.aws.client.NoExpectContinueInterceptor())),
        (S3Client c) -> {
          c.getObjectAsBytes(r -> r.bucket("priming").key("priming.json")).asByteArray();
          c.headObject(r -> r.bucket("priming").key("priming.json"));
          c.putObject(
              r -> r.bucket("priming").key("priming.json").contentType("application/json"),
              RequestBody.fromString("{}"));
        });
  }

  /** KMS: the item MACs every ledger and audit item carries. */
  public static Step kms() {
    return sdk(
        "KMS",
        KmsClient.builder(),
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
    return sdk("SSM", SsmClient.builder(), (SsmClient c) -> c.getParameter(r -> r.name("priming")));
  }

  /** SNS: alerts and anchors. */
  public static Step sns() {
    return sdk(
        "SNS",
        SnsClient.builder(),
        (SnsClient c) ->
            c.publish(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:priming").message("{}")));
  }

  /**
   * A step that builds a twin client on the in-memory transport, with the priming key and a fixed
   * region, makes {@code calls} on it and closes it. The adapter modules define their clients'
   * steps with it, next to the calls they prime (e.g. {@code AssumedRoleStackDeployers.priming()}).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <C extends SdkClient> Step sdk(
      String service, AwsClientBuilder<?, ?> builder, Consumer<C> calls) {
    return new Step(
        service,
        () -> {
          AwsClientBuilder b =
              builder
                  .region(REGION)
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create(PRIMING_ACCESS_KEY_ID, "priming-only")));
          ((SdkSyncClientBuilder) b).httpClient(new CannedTransport());
          try (C client = (C) b.build()) {
            calls.accept(client);
          }
        });
  }

  /**
   * The twins' HTTP client: reads each request's body (its marshalling and checksums run), then
   * answers 200 with the empty result of the request's protocol. It never opens a connection.
   */
  static final class CannedTransport implements SdkHttpClient {

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              in.transferTo(body);
            }
          }
          byte[] answer = answer(request, body.toString(StandardCharsets.UTF_8));
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader(PRIMING_RESPONSE_HEADER, "true")
                      .putHeader("x-amzn-RequestId", "priming")
                      .putHeader("Content-Length", Integer.toString(answer.length))
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    /** {@code {}} for JSON protocols and S3; the empty Query result for Query protocols. */
    private static byte[] answer(HttpExecuteRequest request, String body) {
      String action = queryAction(body);
      String text =
          action == null
              ? "{}"
              : "<"
                  + action
                  + "Response><"
                  + action
                  + "Result/><ResponseMetadata><RequestId>priming</RequestId>"
                  + "</ResponseMetadata></"
                  + action
                  + "Response>";
      return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String queryAction(String body) {
      for (String pair : body.split("&")) {
        if (pair.startsWith("Action=")) {
          return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    @Override
    public String clientName() {
      return "CairnPriming";
    }

    @Override
    public void close() {}
  }

  /** The steps of the clients every control-plane function shares (this module's). */
  public static List<Step> sharedSdkSteps() {
    return List.of(dynamoDb(), s3(), kms(), ssm(), sns());
  }
}
