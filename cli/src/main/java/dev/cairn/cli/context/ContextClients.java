package dev.cairn.cli.context;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 and KMS clients the context commands use, built from their options (default credential and
 * region chains otherwise); tests hand in local ones.
 */
public interface ContextClients {

  S3Client s3(String endpointUrl, String region);

  KmsClient kms(String region);

  /** The real clients, built like every other Cairn client (dev.cairn.aws.client.AwsClients). */
  static ContextClients standard() {
    return new ContextClients() {
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
