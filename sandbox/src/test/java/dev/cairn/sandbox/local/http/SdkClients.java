package dev.cairn.sandbox.local.http;

import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** Real SDK v2 clients pointed at a local endpoint, as the CLI builds them. */
final class SdkClients {

  private SdkClients() {}

  /** An endpoint that serves {@code service} under {@code signingName}. */
  static LocalAwsEndpoint serving(String signingName, LocalAwsEndpoint.Service service) {
    return LocalAwsEndpoint.start(0, Clock.systemUTC()).serve(signingName, service);
  }

  /** A client of {@code endpoint} signing as a fresh session of {@code principalArn}. */
  static <B extends AwsClientBuilder<B, C>, C> C as(
      B builder, LocalAwsEndpoint endpoint, String principalArn) {
    return with(builder, endpoint, endpoint.issue(principalArn, "test", Duration.ofMinutes(15)));
  }

  /** A client of {@code endpoint} signing with {@code session}'s credentials. */
  static <B extends AwsClientBuilder<B, C>, C> C with(
      B builder, LocalAwsEndpoint endpoint, LocalAwsEndpoint.Session session) {
    if (builder
        instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(UrlConnectionHttpClient.builder());
    }
    return builder
        .endpointOverride(endpoint.uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
        .build();
  }
}
