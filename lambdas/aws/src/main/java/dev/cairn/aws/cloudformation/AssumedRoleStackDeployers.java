package dev.cairn.aws.cloudformation;

import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.StackDeployer;
import dev.cairn.core.pipeline.StackDeployers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Opens a {@link StackDeployer} per environment by assuming its narrowly scoped deploy role for
 * {@value #SESSION_SECONDS} seconds: the spec's 15-minute bound is enforced here, by the caller,
 * because IAM's {@code MaxSessionDuration} cannot go below one hour.
 */
public final class AssumedRoleStackDeployers implements StackDeployers {

  /** Session length for the deploy role (the spec's ≤ 15 minutes). */
  public static final int SESSION_SECONDS = 900;

  /** Builds the target environment's clients from the session's credentials. */
  public interface ClientFactory {
    CloudFormationClient cloudFormation(
        EnvironmentPolicy environment, AwsCredentialsProvider credentials);

    SsmClient ssm(EnvironmentPolicy environment, AwsCredentialsProvider credentials);

    S3Client s3(EnvironmentPolicy environment, AwsCredentialsProvider credentials);
  }

  private final StsClient sts;
  private final ClientFactory clients;

  public AssumedRoleStackDeployers(StsClient sts, ClientFactory clients) {
    this.sts = sts;
    this.clients = clients;
  }

  @Override
  public StackDeployer forEnvironment(EnvironmentPolicy environment, String sessionName) {
    AwsCredentialsProvider credentials = assume(sts, environment.deployRoleArn(), sessionName);
    return new CloudFormationStackDeployer(
        clients.cloudFormation(environment, credentials),
        clients.ssm(environment, credentials),
        clients.s3(environment, credentials));
  }

  /** AssumeRole for {@value #SESSION_SECONDS} s; the session name is trimmed to STS's rules. */
  public static AwsCredentialsProvider assume(StsClient sts, String roleArn, String sessionName) {
    String name = sessionName.replaceAll("[^\\w+=,.@-]", "-");
    String session =
        name.length() > 64 ? name.substring(0, 64) : (name.length() < 2 ? name + "-s" : name);
    Credentials c =
        sts.assumeRole(
                r -> r.roleArn(roleArn).roleSessionName(session).durationSeconds(SESSION_SECONDS))
            .credentials();
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
  }
}
