package dev.cairn.aws.client;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The production {@link ClientSource}: SDK clients from the default chain, as {@link AwsClients}.
 *
 * <p>A client is built from its interface's static {@code builder()}, which every SDK v2 service
 * client has: this class names no service beyond DynamoDB and S3, so each Lambda's jar holds the
 * clients its own module declares, and no other
 * (docs/decisions/2026-12-06-one-adapter-module-per-concern.md).
 */
public final class SdkClientSource implements ClientSource {

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
    Object builder;
    try {
      builder = type.getMethod("builder").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("no client builder for " + type.getName(), e);
    }
    if (!(builder instanceof AwsClientBuilder<?, ?> b && builder instanceof SdkSyncClientBuilder)) {
      throw new IllegalArgumentException("not a synchronous AWS client: " + type.getName());
    }
    return (AwsClientBuilder) clients.configure((AwsClientBuilder & SdkSyncClientBuilder) b);
  }
}
