package dev.cairn.cli.context;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds SDK clients from command options (default credential and region chains otherwise). */
public interface AwsClients {

  S3Client s3(String endpointUrl, String region);

  KmsClient kms(String region);

  /** The real clients, built like every other Cairn client (dev.cairn.aws.client.AwsClients). */
  static AwsClients standard() {
    return new AwsClients() {
      @Override
      public S3Client s3(String endpointUrl, String region) {
        return dev.cairn.aws.client.AwsClients.of(endpointUrl, region).s3();
      }

      @Override
      public KmsClient kms(String region) {
        return dev.cairn.aws.client.AwsClients.of(null, region).kms();
      }
    };
  }
}
