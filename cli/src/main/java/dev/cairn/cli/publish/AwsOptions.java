package dev.cairn.cli.publish;

import dev.cairn.aws.client.AwsClients;
import picocli.CommandLine.Option;

/**
 * {@code --endpoint-url} and {@code --region}, shared (as a picocli mixin) by every command that
 * talks to AWS. Without them, clients come from the SDK's default chain, which honours {@code
 * AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL} and {@code
 * AWS_REGION}, so the lines {@code cairn sandbox up} prints are enough to point any command at the
 * local stack.
 */
public final class AwsOptions {

  @Option(
      names = "--endpoint-url",
      paramLabel = "URL",
      description = "Send every AWS call to URL (overrides AWS_ENDPOINT_URL_* variables).")
  String endpointUrl;

  @Option(
      names = "--region",
      paramLabel = "R",
      description = "AWS region (default: the SDK chain, AWS_REGION).")
  String region;

  public AwsClients clients() {
    return AwsClients.of(endpointUrl, region);
  }

  public String region() {
    return region;
  }
}
