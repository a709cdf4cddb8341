package dev.cairn.aws.assets;

import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.sts.AssumedRoles;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.core.pipeline.port.AssetDestinations;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Reads the CDK bootstrap bucket and repository of a target environment through its read-only role
 * (15-minute session), to check what {@code cdk-assets publish} put there.
 */
public final class S3EcrAssetDestinations implements AssetDestinations {

  /** Sessions last 15 minutes; reuse one for at most this long, then assume the role again. */
  static final java.time.Duration SESSION_REUSE = java.time.Duration.ofMinutes(10);

  private final StsClient sts;
  private final BiFunction<EnvironmentPolicy, AwsCredentialsProvider, S3Client> s3;
  private final BiFunction<EnvironmentPolicy, AwsCredentialsProvider, EcrClient> ecr;
  private final java.time.Clock clock;
  private final java.util.Map<String, Session> sessions =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** One environment's clients on one assumed-role session. */
  private record Session(S3Client s3, EcrClient ecr, java.time.Instant renewAt) {}

  public S3EcrAssetDestinations(
      StsClient sts,
      BiFunction<EnvironmentPolicy, AwsCredentialsProvider, S3Client> s3,
      BiFunction<EnvironmentPolicy, AwsCredentialsProvider, EcrClient> ecr,
      java.time.Clock clock) {
    this.sts = sts;
    this.s3 = s3;
    this.ecr = ecr;
    this.clock = clock;
  }

  @Override
  public Optional<InputStream> openObject(
      EnvironmentPolicy environment, String bucket, String key) {
    S3Client client = session(environment).s3();
    try {
      return Optional.of(
          client.getObject(
              r -> r.bucket(bucket).key(key).expectedBucketOwner(environment.account())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<String> imageDigest(
      EnvironmentPolicy environment, String repository, String tag) {
    EcrClient client = session(environment).ecr();
    try {
      var images =
          client
              .describeImages(
                  r ->
                      r.registryId(environment.account())
                          .repositoryName(repository)
                          .imageIds(i -> i.imageTag(tag)))
              .imageDetails();
      return images.isEmpty() ? Optional.empty() : Optional.ofNullable(images.get(0).imageDigest());
    } catch (ImageNotFoundException | RepositoryNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The environment's session: assumed once, reused for every asset until it is due for renewal.
   */
  private Session session(EnvironmentPolicy environment) {
    return sessions.compute(
        environment.name(),
        (name, current) -> {
          if (current != null && clock.instant().isBefore(current.renewAt())) {
            return current;
          }
          AwsCredentialsProvider c =
              AssumedRoles.assume(
                  sts, environment.readOnlyRoleArn(), "cairn-assets-" + environment.name());
          return new Session(
              s3.apply(environment, c),
              ecr.apply(environment, c),
              clock.instant().plus(SESSION_REUSE));
        });
  }

  /** The CDK bootstrap bucket and repository of each target environment, via its read-only role. */
  public static S3EcrAssetDestinations of(ControlPlaneWiring w) {
    return new S3EcrAssetDestinations(
        w.clients().client(StsClient.class),
        (e, c) -> w.clients().client(S3Client.class, e.region(), c),
        (e, c) -> w.clients().client(EcrClient.class, e.region(), c),
        w.clock());
  }

  /** SnapStart priming of the repositories' reads. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "ECR",
        EcrClient::builder,
        (EcrClient c) -> c.describeRepositories(r -> r.repositoryNames("priming")));
  }
}
