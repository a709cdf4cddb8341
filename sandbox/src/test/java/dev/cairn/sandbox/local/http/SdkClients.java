package dev.cairn.sandbox.local.http;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** Real SDK v2 clients pointed at a local endpoint, as the CLI builds them. */
final class SdkClients {

  private SdkClients() {}

  static <B extends AwsClientBuilder<B, C>, C> C on(B builder, URI endpoint) {
    return on(builder, endpoint, AwsBasicCredentials.create("AKIAUSERSOWNKEY00000", "secret"));
  }

  static <B extends AwsClientBuilder<B, C>, C> C on(
      B builder, URI endpoint, AwsCredentials credentials) {
    if (builder
        instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(UrlConnectionHttpClient.builder());
    }
    return builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .build();
  }
}
