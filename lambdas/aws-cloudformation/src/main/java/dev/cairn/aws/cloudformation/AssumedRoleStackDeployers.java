package dev.cairn.aws.cloudformation;

import dev.cairn.aws.client.ClientSource;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.sts.AssumedRoles;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.port.StackDeployer;
import dev.cairn.core.pipeline.port.StackDeployers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Opens a {@link StackDeployer} per environment by assuming its narrowly scoped deploy role for
 * {@value AssumedRoles#SESSION_SECONDS} seconds ({@link AssumedRoles}).
 */
public final class AssumedRoleStackDeployers implements StackDeployers {

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
    AwsCredentialsProvider credentials =
        AssumedRoles.assume(sts, environment.deployRoleArn(), sessionName);
    return new CloudFormationStackDeployer(
        clients.cloudFormation(environment, credentials),
        clients.ssm(environment, credentials),
        clients.s3(environment, credentials));
  }

  /** Through each environment's deploy role, on the function's STS client. */
  public static AssumedRoleStackDeployers of(ControlPlaneWiring w) {
    ClientSource clients = w.clients();
    return new AssumedRoleStackDeployers(
        clients.client(StsClient.class),
        new ClientFactory() {
          @Override
          public CloudFormationClient cloudFormation(
              EnvironmentPolicy e, AwsCredentialsProvider c) {
            return clients.client(CloudFormationClient.class, e.region(), c);
          }

          @Override
          public SsmClient ssm(EnvironmentPolicy e, AwsCredentialsProvider c) {
            return clients.client(SsmClient.class, e.region(), c);
          }

          @Override
          public S3Client s3(EnvironmentPolicy e, AwsCredentialsProvider c) {
            return clients.client(S3Client.class, e.region(), c);
          }
        });
  }

  /** SnapStart priming of the deployer's CloudFormation calls: change sets and stacks. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "CloudFormation",
        CloudFormationClient::builder,
        (CloudFormationClient c) -> {
          c.describeStacks(r -> r.stackName("priming"));
          c.describeChangeSet(r -> r.stackName("priming").changeSetName("priming"));
          c.createChangeSet(
              r ->
                  r.stackName("priming")
                      .changeSetName("priming")
                      .templateURL("https://priming.invalid/template.json"));
        });
  }
}
