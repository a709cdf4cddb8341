package dev.cairn.aws.runtime;

import dev.cairn.aws.client.AwsClients;
import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.aws.cloudwatch.CloudWatchAlarmMonitor;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.s3.S3ArtifactStore;
import dev.cairn.aws.s3.S3BlessedContexts;
import dev.cairn.core.ledger.DeploymentLedger;
import dev.cairn.core.pipeline.ControlPlaneConfig;
import dev.cairn.core.pipeline.PipelineServices;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The production composition of the control plane's adapters, from the Lambda environment the CDK
 * stack sets ({@code METADATA_TABLE_NAME}, {@code CANDIDATE_BUCKET}, ..., {@code
 * CONTROL_PLANE_CONFIG_PARAMETER}). Built once per Lambda, in INIT.
 */
public final class ControlPlaneWiring {

  private final Map<String, String> env;
  private final AwsClients clients;
  private final Clock clock;
  private final DynamoDbClient dynamoDb;
  private final S3Client s3;
  private final StsClient sts;
  private final ControlPlaneConfig config;

  public ControlPlaneWiring(Map<String, String> env, AwsClients clients, Clock clock) {
    this.env = Map.copyOf(env);
    this.clients = clients;
    this.clock = clock;
    this.dynamoDb = clients.dynamoDb();
    this.s3 = clients.s3();
    this.sts = clients.configure(StsClient.builder()).build();
    try (SsmClient ssm = clients.configure(SsmClient.builder()).build()) {
      String parameter = required("CONTROL_PLANE_CONFIG_PARAMETER");
      String json = ssm.getParameter(r -> r.name(parameter)).parameter().value();
      this.config = ControlPlaneConfig.parse(json, env.getOrDefault("AWS_PARTITION", "aws"));
    }
  }

  /** From the process environment (the Lambda's public no-arg constructors). */
  public static ControlPlaneWiring fromSystem() {
    return new ControlPlaneWiring(System.getenv(), AwsClients.defaults(), Clock.systemUTC());
  }

  public String required(String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return v;
  }

  public ControlPlaneConfig config() {
    return config;
  }

  public DeploymentLedger ledger() {
    return new DynamoDbDeploymentLedger(
        dynamoDb, required("METADATA_TABLE_NAME"), required("AUDIT_TABLE_NAME"), clock);
  }

  public S3ArtifactStore artifactStore() {
    return new S3ArtifactStore(s3, env.get("EXPECTED_BUCKET_OWNER"));
  }

  public S3BlessedContexts blessedContexts() {
    return new S3BlessedContexts(s3, required("CONTEXTS_BUCKET"));
  }

  public PowertoolsPipelineMetrics metrics() {
    return new PowertoolsPipelineMetrics(
        MetricsFactory.getMetricsInstance(),
        env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "Cairn"));
  }

  public PipelineServices pipelineServices() {
    AssumedRoleStackDeployers.ClientFactory targets =
        new AssumedRoleStackDeployers.ClientFactory() {
          @Override
          public CloudFormationClient cloudFormation(
              dev.cairn.core.pipeline.EnvironmentPolicy e, AwsCredentialsProvider c) {
            return clients
                .configure(CloudFormationClient.builder())
                .region(Region.of(e.region()))
                .credentialsProvider(c)
                .build();
          }

          @Override
          public SsmClient ssm(
              dev.cairn.core.pipeline.EnvironmentPolicy e, AwsCredentialsProvider c) {
            return clients
                .configure(SsmClient.builder())
                .region(Region.of(e.region()))
                .credentialsProvider(c)
                .build();
          }
        };
    return new PipelineServices(
        ledger(),
        artifactStore(),
        new AssumedRoleStackDeployers(sts, targets),
        new CloudWatchAlarmMonitor(
            sts,
            (e, c) ->
                clients
                    .configure(CloudWatchClient.builder())
                    .region(Region.of(e.region()))
                    .credentialsProvider(c)
                    .build()),
        metrics(),
        config.chain(),
        config.trustPolicy(),
        required("CANDIDATE_BUCKET"),
        required("RELEASE_BUCKET"),
        d -> Thread.sleep(d.toMillis()),
        clock);
  }
}
