package dev.cairn.aws.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.client.ClientSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.local.emulators.KmsEmulator;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * What SnapStart priming may and may not do: it runs every SDK path it claims over a real socket to
 * the loopback only, without the credentials chain, and leaves no socket open; a broken step fails
 * the checkpoint; and a restore makes the trust configuration be read again.
 */
class PrimingTest {

  /** What the default chain would find, if anything asked it. */
  private static final String ENVIRONMENT_KEY = "AKIAENVIRONMENTKEY00";

  @AfterEach
  void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    RecordingInterceptor.stop();
  }

  @Test
  void beforeCheckpoint_everySdkStep_isAnsweredOnTheLoopback_signedWithThePrimingKeyOnly()
      throws Exception {
    System.setProperty("aws.accessKeyId", ENVIRONMENT_KEY);
    System.setProperty("aws.secretAccessKey", "environment-secret");
    List<Priming.Step> steps = new ArrayList<>(Priming.sharedSdkSteps());
    // Each adapter module's own step, next to the calls it primes.
    steps.add(dev.cairn.aws.sts.AssumedRoles.priming());
    steps.add(dev.cairn.aws.sfn.SfnExecutionControl.priming());
    steps.add(dev.cairn.aws.events.EventBridgePipelineEvents.priming());
    steps.add(dev.cairn.aws.cloudformation.AssumedRoleStackDeployers.priming());
    steps.add(dev.cairn.aws.cloudwatch.CloudWatchAlarmMonitor.priming());
    steps.add(dev.cairn.aws.codebuild.CodeBuildTestBuilds.priming());
    steps.add(dev.cairn.aws.assets.S3EcrAssetDestinations.priming());
    steps.add(dev.cairn.aws.cloudtrail.CloudTrailLakeAnchorTrail.priming());
    steps.add(Priming.signatures());
    Priming priming = Priming.register("every-step", steps.toArray(Priming.Step[]::new));

    Set<String> socketsBefore = openSockets();
    RecordingInterceptor.start();
    priming.beforeCheckpoint(null);
    List<RecordingInterceptor.Call> calls = RecordingInterceptor.stop();

    // A socket cannot be in a snapshot: every one priming opened is closed when it returns.
    assertThat(openSockets()).isSubsetOf(socketsBefore);

    assertThat(calls.stream().map(RecordingInterceptor.Call::service).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "DynamoDb",
            "S3",
            "Kms",
            "Ssm",
            "Sns",
            "Sts",
            "Sfn",
            "EventBridge",
            "CloudFormation",
            "CloudWatch",
            "CodeBuild",
            "Ecr",
            "CloudTrailData");
    assertAnsweredOnTheLoopback_signedWithThePrimingKey(calls);
    assertThat(calls)
        .extracting(RecordingInterceptor.Call::operation)
        .contains("GetItem", "TransactWriteItems", "PutObject", "GetParameter", "AssumeRole");
  }

  /**
   * Every call went to the loopback address and was answered by the priming responder (none reached
   * a network, so none could have a side effect, writes included), and was signed with the priming
   * key (the credentials chain was never asked).
   */
  private static void assertAnsweredOnTheLoopback_signedWithThePrimingKey(
      List<RecordingInterceptor.Call> calls) {
    assertThat(calls)
        .allSatisfy(
            c -> {
              assertThat(InetAddress.getByName(c.host()).isLoopbackAddress())
                  .as(c.toString())
                  .isTrue();
              assertThat(c.canned()).as(c.toString()).isTrue();
              assertThat(c.authorization())
                  .as(c.toString())
                  .contains("Credential=" + Priming.PRIMING_ACCESS_KEY_ID + "/")
                  .doesNotContain(ENVIRONMENT_KEY);
            });
  }

  @Test
  void metricsStep_serializesTheContractsDocuments_andWritesNone() throws Exception {
    // EMF documents are metrics once written to the function's output: a primed heartbeat would
    // be counted by the alarms. The step's sink serializes each document and drops it.
    java.io.PrintStream out = System.out;
    java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(written, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      Priming.register("metrics", dev.cairn.aws.metrics.PowertoolsPipelineMetrics.priming())
          .prime();
    } finally {
      System.setOut(out);
    }
    assertThat(written.toString(java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("_aws")
        .doesNotContain("AnchorHeartbeat")
        .doesNotContain("TestFailureRate");
  }

  @Test
  void invocation_runsTheUseCasesOnLoopbackTwins_withTheCannedConfig_andWritesNoMetric()
      throws Exception {
    System.setProperty("aws.accessKeyId", ENVIRONMENT_KEY);
    System.setProperty("aws.secretAccessKey", "environment-secret");
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    // What the sweeper's and the anchorer's handlers run, composed by the production wiring.
    Priming priming =
        Priming.register(
            "invocation",
            Priming.invocation(
                PrimingTest.class,
                "priming-invocation-event.json",
                "returned",
                w ->
                    (in, out, context) -> {
                      seen.add(
                          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                      seen.add(w.config().installationId());
                      seen.add(w.config().chain().last().name());
                      seen.add(
                          Json.compact(
                              w.sweepUseCase(
                                      dev.cairn.aws.sfn.SfnExecutionControl.of(w),
                                      dev.cairn.aws.events.EventBridgePipelineEvents.of(
                                          w,
                                          dev.cairn.aws.events.EventBridgePipelineEvents
                                              .SWEEPER_SOURCE))
                                  .sweep()
                                  .toJson()));
                      w.auditAnchorer(dev.cairn.aws.cloudtrail.CloudTrailLakeAnchorTrail.of(w))
                          .anchor();
                      w.metrics().anchorHeartbeat();
                    }));

    Set<String> socketsBefore = openSockets();
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    RecordingInterceptor.start();
    System.setOut(new java.io.PrintStream(written, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      priming.beforeCheckpoint(null);
    } finally {
      System.setOut(stdout);
    }
    List<RecordingInterceptor.Call> calls = RecordingInterceptor.stop();

    assertThat(seen.get(0)).contains("Scheduled Event");
    // The canned config, read through the wiring as the function reads its own.
    assertThat(seen.subList(1, 3)).containsExactly("000000000000:us-east-1", "prod");
    assertThat(seen.get(3)).contains("\"started\":0");
    assertThat(calls.stream().map(RecordingInterceptor.Call::operation))
        .contains("GetParameter", "Query", "GetItem", "ListObjectsV2", "Publish");
    assertAnsweredOnTheLoopback_signedWithThePrimingKey(calls);
    // The heartbeat the anchorer and the test flushed went to a sink that drops it.
    assertThat(written.toString(java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("_aws")
        .doesNotContain("AnchorHeartbeat");
    assertThat(openSockets()).isSubsetOf(socketsBefore);
  }

  @Test
  void invocation_whoseOutcomeIsNotTheExpectedOne_failsTheCheckpointSayingWhat() {
    Priming returned =
        Priming.register(
            "unexpected",
            Priming.invocation(
                PrimingTest.class,
                "priming-invocation-event.json",
                "ArtifactNotRegistered",
                w -> (in, out, context) -> {}));
    assertThatThrownBy(() -> returned.beforeCheckpoint(null))
        .hasMessageContaining("step invocation priming-invocation-event.json failed")
        .hasMessageContaining("the priming invocation returned, expected ArtifactNotRegistered");

    // An exception of the expected kind with another message: a variable the wiring lacks.
    Priming other =
        Priming.register(
            "other-message",
            Priming.invocation(
                PrimingTest.class,
                "priming-invocation-event.json",
                "IllegalStateException: the ledger has no record",
                w -> (in, out, context) -> w.required("NOT_A_VARIABLE")));
    assertThatThrownBy(() -> other.beforeCheckpoint(null))
        .hasMessageContaining(
            "threw IllegalStateException: environment variable NOT_A_VARIABLE is not set, expected"
                + " IllegalStateException: the ledger has no record");

    Priming expected =
        Priming.register(
            "expected",
            Priming.invocation(
                PrimingTest.class,
                "priming-invocation-event.json",
                "IllegalStateException: environment variable NOT_A_VARIABLE",
                w -> (in, out, context) -> w.required("NOT_A_VARIABLE")));
    org.assertj.core.api.Assertions.assertThatCode(() -> expected.beforeCheckpoint(null))
        .doesNotThrowAnyException();
  }

  @Test
  void sdkStep_outsidePrime_failsRatherThanReachAnEndpoint() {
    assertThatThrownBy(() -> Priming.ssm().action().run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only inside prime()");
  }

  @Test
  void beforeCheckpoint_aStepFails_failsTheCheckpointNamingTheStep_andClosesTheResponder()
      throws Exception {
    Set<String> socketsBefore = openSockets();
    Priming priming =
        Priming.register(
            "broken",
            Priming.ssm(),
            new Priming.Step(
                "handler records",
                () -> {
                  throw new IllegalArgumentException("the payload has no \"service\"");
                }));

    assertThatThrownBy(() -> priming.beforeCheckpoint(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("priming broken: step handler records failed")
        .hasMessageContaining("no \"service\"");
    assertThat(openSockets()).isSubsetOf(socketsBefore);
  }

  @Test
  void prime_runsTheStepsConcurrently_andLeavesNoThreadForTheSnapshot() throws Exception {
    assumeTrue(Priming.threads() >= 2, "needs two processors");
    // Each step waits for the other: in order, on one thread, neither could finish.
    java.util.concurrent.CyclicBarrier both = new java.util.concurrent.CyclicBarrier(2);
    Priming.Action meet = () -> both.await(30, java.util.concurrent.TimeUnit.SECONDS);
    Priming priming =
        Priming.register(
            "concurrent", new Priming.Step("one", meet), new Priming.Step("two", meet));

    priming.beforeCheckpoint(null);

    assertThat(priming.lastRun()).hasSize(2);
    assertThat(primingThreads()).isEmpty();

    // A failing step ends its priming with every thread gone too.
    Priming broken =
        Priming.register(
            "broken-concurrent",
            Priming.ssm(),
            new Priming.Step(
                "fails",
                () -> {
                  throw new IllegalStateException("broken");
                }));
    assertThatThrownBy(() -> broken.beforeCheckpoint(null))
        .hasMessageContaining("priming broken-concurrent: step fails failed");
    assertThat(primingThreads()).isEmpty();
  }

  /** Threads priming started and that are still alive. */
  private static List<String> primingThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("cairn-priming"))
        .toList();
  }

  /**
   * The TCP sockets this JVM holds, connected or listening: the socket descriptors in {@code
   * /proc/self/fd} whose inode is in {@code /proc/self/net/tcp} or {@code tcp6} (Linux). Others,
   * such as the C library's Unix-domain socket to the name service, are no connection to restore.
   */
  private static Set<String> openSockets() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
    Set<String> tcp = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path p = Path.of("/proc/self/net", table);
      if (Files.exists(p)) {
        for (String line : Files.readAllLines(p)) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && !f[9].equals("0")) {
            tcp.add("socket:[" + f[9] + "]");
          }
        }
      }
    }
    Set<String> sockets = new HashSet<>();
    try (Stream<Path> all = Files.list(fds)) {
      for (Path fd : (Iterable<Path>) all::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (tcp.contains(target)) {
            sockets.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the directory's own descriptor, or one closed while listing
        }
      }
    }
    return sockets;
  }

  @Test
  void event_readsTheHandlersEventThroughItsOwnParsing() throws Exception {
    List<ObjectNode> seen = new ArrayList<>();
    Priming.register("event", Priming.event(PrimingTest.class, "priming-event.json", seen::add))
        .beforeCheckpoint(null);

    assertThat(seen)
        .singleElement()
        .satisfies(e -> assertThat(e.path("action").asText()).isEqualTo("verify"));
    assertThatThrownBy(
            () ->
                Priming.register("missing", Priming.event(PrimingTest.class, "none.json", e -> {}))
                    .prime())
        .hasMessageContaining("no priming event none.json");
  }

  @Test
  void afterRestore_theNextInvocationReadsTheTrustConfigurationAgain_withinItsTtl()
      throws Exception {
    SsmEmulator ssm = configParameter();
    ControlPlaneWiring wiring = wiring(ssm);
    wiring.config();
    assertThat(ssm.requests()).hasSize(1); // INIT's read, then cached within the TTL

    // The parameter changes between the snapshot and the restore; the clock has not moved.
    ssm.seed("/cairn/config", config("111111111111:eu-west-1"));
    assertThat(wiring.config().installationId()).isEqualTo("111111111111:us-east-1");
    wiring.restoreHook().afterRestore(null);

    assertThat(wiring.config().installationId()).isEqualTo("111111111111:eu-west-1");
    assertThat(ssm.requests()).hasSize(2);
    assertThat(wiring.restoreHook().stepNames()).isEmpty();
  }

  /** The trust configuration's parameter, holding installation {@code 111111111111:us-east-1}. */
  private static SsmEmulator configParameter() {
    SsmEmulator ssm =
        new SsmEmulator(
            "111111111111",
            "us-east-1",
            Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC));
    ssm.seed("/cairn/config", config("111111111111:us-east-1"));
    return ssm;
  }

  /** A wiring reading its config from {@code ssm}, on a clock that does not move. */
  private static ControlPlaneWiring wiring(SsmEmulator ssm) {
    Clock clock = Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC);
    KmsEmulator kms = new KmsEmulator();
    String macKey = "arn:aws:kms:us-east-1:111111111111:key/record-mac";
    return new ControlPlaneWiring(
        new LambdaRuntime(
            Map.of(
                "CONTROL_PLANE_CONFIG_PARAMETER", "/cairn/config",
                "RECORD_MAC_KEY_ARN", macKey,
                "ALERT_TOPIC_ARN", "arn:aws:sns:us-east-1:111111111111:alerts"),
            new Clients(
                Map.of(
                    SsmClient.class,
                    ssm,
                    KmsClient.class,
                    kms,
                    SnsClient.class,
                    new SnsEmulator())),
            clock,
            d -> {}));
  }

  @Test
  void current_rebuildsWhatAHandlerHolds_whenTheConfigReadAfterARestoreChanged() {
    // Every handler holds its use case through current(): a revoked key leaves the registrar,
    // sweeper, finalizer and anchorer as it leaves the verifier and deployer.
    SsmEmulator ssm = configParameter();
    ControlPlaneWiring wiring = wiring(ssm);
    java.util.concurrent.atomic.AtomicInteger builds =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Supplier<String> held =
        wiring.current(
            w -> {
              builds.incrementAndGet();
              return w.config().installationId();
            });
    assertThat(held.get()).isEqualTo("111111111111:us-east-1");
    assertThat(held.get()).isEqualTo("111111111111:us-east-1");
    assertThat(builds).hasValue(1);

    ssm.seed("/cairn/config", config("111111111111:eu-west-1"));
    wiring.restoreHook().afterRestore(null);

    assertThat(held.get()).isEqualTo("111111111111:eu-west-1");
    assertThat(builds).hasValue(2);
  }

  private static String config(String installationId) {
    ObjectNode root = Json.object();
    root.put("installation_id", installationId);
    root.putArray("environments")
        .addObject()
        .put("name", "prod")
        .put("account", "222222222222")
        .put("region", "us-east-1");
    root.putArray("trusted_signer_keys")
        .addObject()
        .put("key_id", "kms:alias/cdk-ci-artifact-signer")
        .put("algorithm", "ECDSA_SHA_256")
        .put(
            "public_key",
            PemKeys.toPem(PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256).getPublic()));
    root.putArray("operator_keys");
    root.putArray("allowed_cdk_cli_versions").add("2.1148.1");
    return Json.compact(root);
  }

  /**
   * The wiring's clients: the emulators given, and DynamoDB and S3 clients this test never calls.
   */
  private record Clients(Map<Class<?>, SdkClient> fakes) implements ClientSource {

    private static final AwsCredentialsProvider NOBODY =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAUNUSED0000000000", "x"));
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

    @Override
    public DynamoDbClient dynamoDb() {
      return DynamoDbClient.builder()
          .region(Region.US_EAST_1)
          .credentialsProvider(NOBODY)
          .endpointOverride(NOWHERE)
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .build();
    }

    @Override
    public S3Client s3() {
      return S3Client.builder()
          .region(Region.US_EAST_1)
          .credentialsProvider(NOBODY)
          .endpointOverride(NOWHERE)
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .build();
    }

    @Override
    public <C extends SdkClient> C client(Class<C> type) {
      return type.cast(fakes.get(type));
    }

    @Override
    public <C extends SdkClient> C client(
        Class<C> type, String region, AwsCredentialsProvider credentials) {
      throw new UnsupportedOperationException("no cross-account client in this test");
    }
  }
}
