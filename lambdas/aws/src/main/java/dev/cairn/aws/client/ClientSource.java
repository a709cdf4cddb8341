package dev.cairn.aws.client;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where a Lambda's SDK clients come from: the one seam between the production composition root
 * ({@code dev.cairn.aws.runtime.ControlPlaneWiring}, in cairn-aws-runtime) and the place it runs.
 * In Lambda the clients use the default chain ({@link SdkClientSource}); in the sandbox they reach
 * the local services and emulators, and every call is attributed to the credentials' principal.
 */
public interface ClientSource {

  /** DynamoDB under the function's own role. */
  DynamoDbClient dynamoDb();

  /** S3 under the function's own role. */
  S3Client s3();

  /** Any other client, under the function's own role, in its own region. */
  <C extends SdkClient> C client(Class<C> type);

  /**
   * A client in another account or region, signed with {@code credentials} (an assumed role's
   * session).
   */
  <C extends SdkClient> C client(Class<C> type, String region, AwsCredentialsProvider credentials);
}
