package dev.cairn.aws.sts;

import dev.cairn.aws.runtime.Priming;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The sessions the control plane opens in a target environment (its deploy role, its read-only
 * role) for {@value #SESSION_SECONDS} seconds: the spec's 15-minute bound is enforced here, by the
 * caller, because IAM's {@code MaxSessionDuration} cannot go below one hour.
 */
public final class AssumedRoles {

  /** Session length for the roles in target accounts (the spec's ≤ 15 minutes). */
  public static final int SESSION_SECONDS = 900;

  private AssumedRoles() {}

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

  /** SnapStart priming of {@link #assume}'s call. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "STS",
        StsClient::builder,
        (StsClient c) ->
            c.assumeRole(
                r ->
                    r.roleArn("arn:aws:iam::000000000000:role/priming")
                        .roleSessionName("priming")
                        .durationSeconds(SESSION_SECONDS)));
  }
}
