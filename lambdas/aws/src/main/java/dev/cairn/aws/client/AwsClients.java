package dev.cairn.aws.client;

import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds SDK clients from the default configuration chain, so region, credentials and the standard
 * service-specific endpoint variables ({@code AWS_ENDPOINT_URL_DYNAMODB}, {@code
 * AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}) are honoured. An explicit {@code --endpoint-url}
 * wins over all of them. One HTTP client: {@code url-connection-client}.
 *
 * @param endpointOverride explicit endpoint, or null to use the default chain
 * @param region explicit region, or null to use the default chain
 */
public record AwsClients(URI endpointOverride, Region region) {

  /** Clients from the default chain, nothing overridden. */
  public static AwsClients defaults() {
    return new AwsClients(null, null);
  }

  /** Clients with an optional endpoint and region (either may be null or blank). */
  public static AwsClients of(String endpointUrl, String region) {
    return new AwsClients(
        endpointUrl == null || endpointUrl.isBlank() ? null : URI.create(endpointUrl),
        region == null || region.isBlank() ? null : Region.of(region));
  }

  public DynamoDbClient dynamoDb() {
    DynamoDbClientBuilder b =
        DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpointOverride != null) {
      b.endpointOverride(endpointOverride);
    }
    if (region != null) {
      b.region(region);
    }
    return b.build();
  }

  /**
   * S3 with path-style addressing whenever an endpoint is set (explicitly or through {@code
   * AWS_ENDPOINT_URL_S3}/{@code AWS_ENDPOINT_URL}): local servers have no virtual-host DNS.
   */
  public S3Client s3() {
    return s3Builder().build();
  }

  /** S3 in {@code region}, signed with {@code credentials} (another account's assumed role). */
  public S3Client s3(
      Region region, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
    return s3Builder().region(region).credentialsProvider(credentials).build();
  }

  private S3ClientBuilder s3Builder() {
    S3ClientBuilder b =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(
                o -> o.addExecutionInterceptor(new NoExpectContinueInterceptor()));
    if (endpointOverride != null) {
      b.endpointOverride(endpointOverride);
    }
    if (region != null) {
      b.region(region);
    }
    if (endpointOverride != null || endpointFromEnvironment("S3")) {
      b.forcePathStyle(true);
    }
    return b;
  }

  public KmsClient kms() {
    KmsClientBuilder b = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpointOverride != null) {
      b.endpointOverride(endpointOverride);
    }
    if (region != null) {
      b.region(region);
    }
    return b.build();
  }

  /**
   * Any other service client, configured the same way (one HTTP client, the region and endpoint
   * overrides): {@code clients.configure(StsClient.builder()).build()}.
   */
  public <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
                  & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>>
      B configure(B builder) {
    builder.httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpointOverride != null) {
      builder.endpointOverride(endpointOverride);
    }
    if (region != null) {
      builder.region(region);
    }
    return builder;
  }

  private static boolean endpointFromEnvironment(String service) {
    return notBlank(System.getenv("AWS_ENDPOINT_URL_" + service))
        || notBlank(System.getenv("AWS_ENDPOINT_URL"))
        || notBlank(
            System.getProperty(
                "aws.endpointUrl" + service.charAt(0) + service.substring(1).toLowerCase()))
        || notBlank(System.getProperty("aws.endpointUrl"));
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
