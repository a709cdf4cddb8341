package dev.cairn.cli.context;

import dev.cairn.local.servers.LocalS3;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3Proxy client configured like the production one (no Expect: 100-continue). */
final class LocalContextsS3 {
  private LocalContextsS3() {}

  static S3Client client() {
    return S3Client.builder()
        .endpointOverride(LocalS3.shared().endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(
            o -> o.addExecutionInterceptor(new dev.cairn.aws.client.NoExpectContinueInterceptor()))
        .build();
  }
}
