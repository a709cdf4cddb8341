package dev.cairn.aws.client;

import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudtraildata.CloudTrailDataClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The production {@link ClientSource}: SDK clients from the default chain, as {@link AwsClients}.
 */
public final class SdkClientSource implements ClientSource {

  /** Every service the control plane calls besides DynamoDB and S3. */
  private static final Map<Class<?>, Supplier<? extends AwsClientBuilder<?, ?>>> BUILDERS =
      Map.of(
          StsClient.class, StsClient::builder,
          SsmClient.class, SsmClient::builder,
          SnsClient.class, SnsClient::builder,
          SfnClient.class, SfnClient::builder,
          EventBridgeClient.class, EventBridgeClient::builder,
          CloudFormationClient.class, CloudFormationClient::builder,
          CloudWatchClient.class, CloudWatchClient::builder,
          EcrClient.class, EcrClient::builder,
          CloudTrailDataClient.class, CloudTrailDataClient::builder);

  private final AwsClients clients;

  public SdkClientSource(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public DynamoDbClient dynamoDb() {
    return clients.dynamoDb();
  }

  @Override
  public S3Client s3() {
    return clients.s3();
  }

  @Override
  public <C extends SdkClient> C client(Class<C> type) {
    return type.cast(configured(type).build());
  }

  @Override
  public <C extends SdkClient> C client(
      Class<C> type, String region, AwsCredentialsProvider credentials) {
    if (type == S3Client.class) {
      return type.cast(clients.s3(Region.of(region), credentials));
    }
    return type.cast(
        configured(type).region(Region.of(region)).credentialsProvider(credentials).build());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private AwsClientBuilder configured(Class<?> type) {
    Supplier<? extends AwsClientBuilder<?, ?>> builder = BUILDERS.get(type);
    if (builder == null) {
      throw new IllegalArgumentException("no client builder for " + type.getName());
    }
    AwsClientBuilder b = builder.get();
    return (AwsClientBuilder) clients.configure((AwsClientBuilder & SdkSyncClientBuilder) b);
  }
}
