package dev.cairn.cli.context;

import java.net.URI;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds SDK clients from command options (default credential and region chains otherwise). */
public interface AwsClients {

  S3Client s3(String endpointUrl, String region);

  KmsClient kms(String region);

  /** The real clients. */
  static AwsClients standard() {
    return new AwsClients() {
      @Override
      public S3Client s3(String endpointUrl, String region) {
        S3ClientBuilder b =
            S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(
                    o -> o.addExecutionInterceptor(new NoExpectContinueInterceptor()));
        if (region != null) {
          b.region(Region.of(region));
        }
        if (endpointUrl != null) {
          b.endpointOverride(URI.create(endpointUrl)).forcePathStyle(true);
        }
        return b.build();
      }

      @Override
      public KmsClient kms(String region) {
        var b = KmsClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null) {
          b.region(Region.of(region));
        }
        return b.build();
      }
    };
  }
}
