package dev.cairn.local.emulators;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * An honest STS: {@code AssumeRole} into an allowlist of role ARNs, {@code GetCallerIdentity}.
 *
 * <ul>
 *   <li>{@code DurationSeconds}: 900..43200 ({@code ValidationError}, 400), default 3600, and at
 *       most the role's maximum session duration (default 1 hour, as IAM's default), else {@code
 *       ValidationError} "The requested DurationSeconds exceeds the MaxSessionDuration set for this
 *       role."
 *   <li>{@code RoleSessionName}: 2..64 characters of {@code [\w+=,.@-]} ({@code ValidationError}).
 *   <li>{@code RoleArn}: {@code arn:aws:iam::<12 digits>:role/<path/name>} ({@code
 *       ValidationError}); a role not on the allowlist gives {@code AccessDenied}, HTTP 403.
 *   <li>Credentials look real: {@code ASIA} access key ids, 40-character secrets, a session token,
 *       {@code Expiration = clock.now() + DurationSeconds}.
 * </ul>
 */
public final class StsEmulator implements StsClient {

  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})$");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final String callerAccount;
  private final String callerArn;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final EmulatorCalls calls = new EmulatorCalls();
  private final Map<String, Duration> roles = new ConcurrentHashMap<>();

  /** A caller identified as {@code callerArn} in {@code callerAccount}. */
  public StsEmulator(String callerAccount, String callerArn, Clock clock) {
    this.callerAccount = callerAccount;
    this.callerArn = callerArn;
    this.clock = clock;
  }

  /** Allows assuming {@code roleArn} with the IAM default maximum session duration (1 hour). */
  public StsEmulator allowRole(String roleArn) {
    return allowRole(roleArn, Duration.ofHours(1));
  }

  /** Allows assuming {@code roleArn}, whose MaxSessionDuration is {@code maxSession}. */
  public StsEmulator allowRole(String roleArn, Duration maxSession) {
    roles.put(roleArn, maxSession);
    return this;
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public List<AssumeRoleRequest> assumeRoleRequests() {
    return calls.requests(AssumeRoleRequest.class);
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(
      String operation,
      int times,
      java.util.function.Supplier<? extends RuntimeException> failure) {
    calls.failNext(operation, times, failure);
  }

  @Override
  public AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
    calls.record("AssumeRole", request);
    String roleArn = request.roleArn();
    if (roleArn == null || roleArn.length() < 20) {
      throw validation(
          "1 validation error detected: Value '"
              + roleArn
              + "' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
    }
    Matcher m = ROLE_ARN.matcher(roleArn);
    if (!m.matches()) {
      throw validation(roleArn + " is invalid");
    }
    String session = request.roleSessionName();
    if (session == null || session.length() < 2) {
      throw validation(
          "1 validation error detected: Value '"
              + session
              + "' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
    }
    if (session.length() > 64) {
      throw validation(
          "1 validation error detected: Value '"
              + session
              + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64");
    }
    if (!SESSION_NAME.matcher(session).matches()) {
      throw validation(
          "1 validation error detected: Value '"
              + session
              + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
    int duration = request.durationSeconds() == null ? 3600 : request.durationSeconds();
    if (duration < 900) {
      throw validation(
          "1 validation error detected: Value '"
              + duration
              + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
    }
    if (duration > 43200) {
      throw validation(
          "1 validation error detected: Value '"
              + duration
              + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
    }
    Duration max = roles.get(roleArn);
    if (max == null) {
      throw AwsErrors.error(
          StsException.builder(),
          "Sts",
          "AccessDenied",
          403,
          "User: "
              + callerArn
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + roleArn);
    }
    if (duration > max.getSeconds()) {
      throw validation(
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    String account = m.group(1);
    String roleName = m.group(2);
    Instant expiration = clock.instant().plusSeconds(duration);
    return AssumeRoleResponse.builder()
        .credentials(
            Credentials.builder()
                .accessKeyId("ASIA" + randomString(KEY_ALPHABET, 16))
                .secretAccessKey(randomString(SECRET_ALPHABET, 40))
                .sessionToken(sessionToken())
                .expiration(expiration)
                .build())
        .assumedRoleUser(
            AssumedRoleUser.builder()
                .assumedRoleId("AROA" + randomString(KEY_ALPHABET, 17) + ":" + session)
                .arn("arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session)
                .build())
        .build();
  }

  @Override
  public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
    calls.record("GetCallerIdentity", request);
    return GetCallerIdentityResponse.builder()
        .account(callerAccount)
        .arn(callerArn)
        .userId("AIDA" + Integer.toHexString(callerArn.hashCode()).toUpperCase())
        .build();
  }

  @Override
  public GetCallerIdentityResponse getCallerIdentity() {
    return getCallerIdentity(GetCallerIdentityRequest.builder().build());
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  private String randomString(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private String sessionToken() {
    byte[] bytes = new byte[256];
    random.nextBytes(bytes);
    return "FwoGZXIvYXdzE" + Base64.getEncoder().encodeToString(bytes);
  }

  private static StsException validation(String message) {
    return AwsErrors.error(StsException.builder(), "Sts", "ValidationError", 400, message);
  }
}
