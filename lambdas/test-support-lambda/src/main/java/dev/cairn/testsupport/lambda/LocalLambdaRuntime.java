package dev.cairn.testsupport.lambda;

import dev.cairn.aws.client.ClientSource;
import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.local.emulators.CloudFormationEmulator;
import dev.cairn.local.emulators.CloudWatchEmulator;
import dev.cairn.local.emulators.CodeBuildEmulator;
import dev.cairn.local.emulators.EcrEmulator;
import dev.cairn.local.emulators.EventBridgeEmulator;
import dev.cairn.local.emulators.KmsEmulator;
import dev.cairn.local.emulators.SfnEmulator;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import dev.cairn.local.emulators.StsEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.local.servers.LocalTables;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A Lambda's runtime on the local services, for running a handler's public no-arg constructor (its
 * production composition) outside Lambda: DynamoDB Local and S3Proxy over HTTP, the in-process
 * emulators for the rest, each client built when the composition first asks for it. The
 * control-plane config is seeded in the SSM emulator; the record MAC key is created in the KMS
 * emulator and added to the environment as {@code RECORD_MAC_KEY_ARN}.
 */
public final class LocalLambdaRuntime implements ClientSource {

  public static final String ACCOUNT = "111111111111";
  public static final String REGION = "us-east-1";

  private static final AwsCredentialsProvider LOCAL =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY));

  private final URI dynamoDbEndpoint;
  private final URI s3Endpoint;
  private final Clock clock;
  private final SsmEmulator ssm;
  private final KmsEmulator kms = new KmsEmulator(ACCOUNT, REGION);
  private final String macKey;
  private final Map<Class<?>, Object> emulators = new HashMap<>();

  /**
   * @param config the control-plane config's JSON, seeded under {@code
   *     CONTROL_PLANE_CONFIG_PARAMETER}; {@code BREAK_GLASS_PARAMETER} is seeded {@code off}
   */
  public LocalLambdaRuntime(
      URI dynamoDbEndpoint, URI s3Endpoint, Clock clock, Map<String, String> env, String config) {
    this.dynamoDbEndpoint = dynamoDbEndpoint;
    this.s3Endpoint = s3Endpoint;
    this.clock = clock;
    this.ssm = new SsmEmulator(ACCOUNT, REGION, clock);
    ssm.seed(env.get("CONTROL_PLANE_CONFIG_PARAMETER"), config);
    ssm.seed(env.get("BREAK_GLASS_PARAMETER"), "off");
    // One fixed key material: every process on the same tables (bench/lambda's runs) writes and
    // verifies item MACs under the same key, as every sandbox of one function does in Lambda.
    this.macKey =
        kms.importMacKey(
            "record-mac",
            KeySpec.HMAC_256,
            "cairn-local-record-mac-key-32byt".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The environment the CDK app gives every function, on these tables and buckets (names of the
   * config and break-glass parameters, topics, bus and state machine are fixed).
   */
  public static Map<String, String> environment(LocalTables tables, LocalBuckets buckets) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("AWS_REGION", REGION);
    env.put("METADATA_TABLE_NAME", tables.artifactMetadata());
    env.put("AUDIT_TABLE_NAME", tables.auditLog());
    env.put("IDEMPOTENCY_TABLE_NAME", tables.idempotency());
    env.put("CANDIDATE_BUCKET", buckets.candidate());
    env.put("RELEASE_BUCKET", buckets.release());
    env.put("CONTEXTS_BUCKET", buckets.contexts());
    env.put("AUDIT_ANCHORS_BUCKET", buckets.auditAnchors());
    env.put("CONTROL_PLANE_CONFIG_PARAMETER", "/cairn/control-plane-config");
    env.put("BREAK_GLASS_PARAMETER", "/cairn/break-glass");
    env.put("ALERT_TOPIC_ARN", "arn:aws:sns:us-east-1:" + ACCOUNT + ":cairn-alerts");
    env.put("ANCHOR_TOPIC_ARN", "arn:aws:sns:us-east-1:" + ACCOUNT + ":cairn-anchors");
    env.put("EVENT_BUS_NAME", "cairn-pipeline");
    env.put(
        "STATE_MACHINE_ARN",
        "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:DeployArtifactPipeline");
    return env;
  }

  /**
   * A control-plane config: one environment ({@code dev}), a CI signer key and an operator key
   * (fresh ECDSA P-256 keys), one allowed CDK CLI version.
   */
  public static String config() {
    com.fasterxml.jackson.databind.node.ObjectNode root = dev.cairn.core.json.Json.object();
    root.put("installation_id", ACCOUNT + ":" + REGION);
    root.putArray("environments")
        .addObject()
        .put("name", "dev")
        .put("account", "222222222222")
        .put("region", REGION);
    key(root.putArray("trusted_signer_keys").addObject(), "kms:alias/cdk-ci-artifact-signer");
    key(root.putArray("operator_keys").addObject(), "key:bob");
    root.putArray("allowed_cdk_cli_versions").add("2.1148.1");
    return dev.cairn.core.json.Json.compact(root);
  }

  private static void key(com.fasterxml.jackson.databind.node.ObjectNode k, String id) {
    k.put("key_id", id)
        .put("algorithm", "ECDSA_SHA_256")
        .put(
            "public_key",
            dev.cairn.core.signature.PemKeys.toPem(
                dev.cairn.core.signature.PemKeys.generate(
                        dev.cairn.core.signature.SignatureAlgorithm.ECDSA_SHA_256)
                    .getPublic()));
  }

  /** The runtime a handler's INIT runs with: {@code env} plus the record MAC key. */
  /**
   * A handler as Lambda's INIT builds it (its public no-arg constructor) on the local services of
   * {@code tables} and {@code buckets}, with what a test of its priming checks afterwards.
   */
  public static <H> Init<H> init(
      LocalTables tables, LocalBuckets buckets, java.util.function.Supplier<H> constructor) {
    Map<String, String> env = environment(tables, buckets);
    LocalLambdaRuntime local =
        new LocalLambdaRuntime(
            LocalDynamoDb.shared().endpoint(),
            LocalS3.shared().endpoint(),
            Clock.systemUTC(),
            env,
            config());
    return new Init<>(local, LambdaRuntime.initWith(local.runtime(env), constructor));
  }

  /** A handler built by {@link #init} and the runtime it was built on. */
  public record Init<H>(LocalLambdaRuntime local, H handler) {

    /** How many times the configuration parameter has been read so far. */
    public int configReads() {
      return ((SsmEmulator) local.emulator(SsmClient.class)).requests().size();
    }

    /** What was published to SNS so far. */
    public java.util.List<?> published() {
      return ((SnsEmulator) local.emulator(SnsClient.class)).published();
    }
  }

  public LambdaRuntime runtime(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("RECORD_MAC_KEY_ARN", macKey);
    return new LambdaRuntime(all, this, clock, d -> Thread.sleep(d.toMillis()));
  }

  /** An emulator the composition asked for (or will ask for), to read what it recorded. */
  public synchronized <C extends SdkClient> C emulator(Class<C> type) {
    return type.cast(emulators.computeIfAbsent(type, this::create));
  }

  @Override
  public DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(dynamoDbEndpoint)
        .region(Region.of(REGION))
        .credentialsProvider(LOCAL)
        .build();
  }

  /** The SDK's Apache client, as {@link LocalS3#client}: S3Proxy and url-connection disagree. */
  @Override
  public S3Client s3() {
    return S3Client.builder()
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
        .endpointOverride(s3Endpoint)
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(LOCAL)
        .overrideConfiguration(
            o -> o.addExecutionInterceptor(new dev.cairn.aws.client.NoExpectContinueInterceptor()))
        .build();
  }

  @Override
  public <C extends SdkClient> C client(Class<C> type) {
    return emulator(type);
  }

  /** Every account and region is this one emulator: no test here crosses accounts. */
  @Override
  public <C extends SdkClient> C client(
      Class<C> type, String region, AwsCredentialsProvider credentials) {
    return emulator(type);
  }

  private Object create(Class<?> type) {
    if (type == SsmClient.class) {
      return ssm;
    } else if (type == KmsClient.class) {
      return kms;
    } else if (type == SnsClient.class) {
      return new SnsEmulator();
    } else if (type == SfnClient.class) {
      return new SfnEmulator(clock);
    } else if (type == EventBridgeClient.class) {
      return new EventBridgeEmulator(clock);
    } else if (type == StsClient.class) {
      return new StsEmulator(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":role/cairn", clock);
    } else if (type == CodeBuildClient.class) {
      return new CodeBuildEmulator(ACCOUNT, REGION, clock);
    } else if (type == CloudWatchClient.class) {
      return new CloudWatchEmulator(ACCOUNT, REGION, clock);
    } else if (type == EcrClient.class) {
      return new EcrEmulator(ACCOUNT, clock);
    } else if (type == CloudFormationClient.class) {
      return new CloudFormationEmulator(ACCOUNT, REGION, clock, s3());
    }
    throw new IllegalArgumentException("no emulator for " + type.getName());
  }
}
