package dev.cairn.sandbox;

import dev.cairn.aws.client.ClientSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The sandbox's {@link ClientSource}: what one principal's SDK clients reach. DynamoDB and S3 are
 * DynamoDB Local and S3Proxy; the other services are the emulators of the account the credentials
 * belong to. A target-account client is only handed out for credentials an {@code sts:AssumeRole}
 * issued: the session names the role, and the role names the account, as in AWS.
 */
final class SandboxClients implements ClientSource {

  /** Access key id → the role whose session it is (every AssumeRole the sandbox answered). */
  static final class Sessions {
    private final Map<String, String> roles = new ConcurrentHashMap<>();

    void issued(AssumeRoleResponse response, String roleArn) {
      roles.put(response.credentials().accessKeyId(), roleArn);
    }

    String roleOf(AwsCredentialsProvider credentials) {
      String key = credentials.resolveCredentials().accessKeyId();
      String role = roles.get(key);
      if (role == null) {
        throw new IllegalStateException(
            "credentials " + key + " were not issued by the sandbox's STS (InvalidClientTokenId)");
      }
      return role;
    }
  }

  private final String principalArn;
  private final Function<String, DynamoDbClient> dynamoDb;
  private final Function<String, S3Client> s3;
  private final ToolsAccountServices tools;
  private final BiFunction<Class<?>, String, Object> targetAccount;
  private final Sessions sessions;

  /** The services of the tools account, for one principal. */
  interface ToolsAccountServices {
    <C extends SdkClient> C client(Class<C> type, String principalArn);
  }

  SandboxClients(
      String principalArn,
      Function<String, DynamoDbClient> dynamoDb,
      Function<String, S3Client> s3,
      ToolsAccountServices tools,
      BiFunction<Class<?>, String, Object> targetAccount,
      Sessions sessions) {
    this.principalArn = principalArn;
    this.dynamoDb = dynamoDb;
    this.s3 = s3;
    this.tools = tools;
    this.targetAccount = targetAccount;
    this.sessions = sessions;
  }

  @Override
  public DynamoDbClient dynamoDb() {
    return dynamoDb.apply(principalArn);
  }

  @Override
  public S3Client s3() {
    return s3.apply(principalArn);
  }

  @Override
  public <C extends SdkClient> C client(Class<C> type) {
    return tools.client(type, principalArn);
  }

  @Override
  public <C extends SdkClient> C client(
      Class<C> type, String region, AwsCredentialsProvider credentials) {
    String role = sessions.roleOf(credentials);
    if (type == S3Client.class) {
      return type.cast(s3.apply(role));
    }
    if (type == StsClient.class) {
      return tools.client(type, role);
    }
    return type.cast(targetAccount.apply(type, role));
  }
}
