package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class StsEmulatorTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final String ROLE = "arn:aws:iam::222222222222:role/cairn/cdk-deploy-role";

  private final StsEmulator sts =
      new StsEmulator(
              "111111111111",
              "arn:aws:sts::111111111111:assumed-role/deployer/lambda",
              Clock.fixed(NOW, ZoneOffset.UTC))
          .allowRole(ROLE, Duration.ofHours(12));

  private static void assertError(Runnable call, String code, int status, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorMessage()).contains(messagePart);
            });
  }

  @Test
  void assumeRole_returnsRealLookingTemporaryCredentials() {
    AssumeRoleRequest request =
        AssumeRoleRequest.builder()
            .roleArn(ROLE)
            .roleSessionName("cairn-stage-abc123")
            .durationSeconds(900)
            .build();
    AssumeRoleResponse r = sts.assumeRole(request);

    assertThat(r.credentials().accessKeyId()).matches("ASIA[A-Z2-7]{16}");
    assertThat(r.credentials().secretAccessKey()).hasSize(40);
    assertThat(r.credentials().sessionToken()).isNotBlank();
    assertThat(r.credentials().expiration()).isEqualTo(NOW.plusSeconds(900));
    assertThat(r.assumedRoleUser().arn())
        .isEqualTo("arn:aws:sts::222222222222:assumed-role/cdk-deploy-role/cairn-stage-abc123");
    assertThat(r.assumedRoleUser().assumedRoleId()).endsWith(":cairn-stage-abc123");
    assertThat(sts.assumeRoleRequests()).containsExactly(request);
    assertThat(sts.callCounts()).containsEntry("AssumeRole", 1);
  }

  @Test
  void assumeRole_defaultDurationIsOneHour() {
    AssumeRoleResponse r = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s1"));
    assertThat(r.credentials().expiration()).isEqualTo(NOW.plusSeconds(3600));
  }

  @Test
  void assumeRole_validatesDurationSessionNameAndArn() {
    assertError(
        () -> sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s1").durationSeconds(899)),
        "ValidationError",
        400,
        "greater than or equal to 900");
    assertError(
        () -> sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("s1").durationSeconds(43201)),
        "ValidationError",
        400,
        "less than or equal to 43200");
    assertError(
        () -> sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("x")),
        "ValidationError",
        400,
        "roleSessionName");
    assertError(
        () -> sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("has space")),
        "ValidationError",
        400,
        "regular expression pattern");
    assertError(
        () -> sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("a".repeat(65))),
        "ValidationError",
        400,
        "less than or equal to 64");
    assertError(
        () ->
            sts.assumeRole(
                b -> b.roleArn("arn:aws:iam::222222222222:user/someone").roleSessionName("s1")),
        "ValidationError",
        400,
        "invalid");
  }

  @Test
  void assumeRole_beyondTheRolesMaxSession_isValidationError() {
    String shortRole = "arn:aws:iam::222222222222:role/short";
    sts.allowRole(shortRole);
    assertError(
        () -> sts.assumeRole(b -> b.roleArn(shortRole).roleSessionName("s1").durationSeconds(7200)),
        "ValidationError",
        400,
        "exceeds the MaxSessionDuration");
  }

  @Test
  void assumeRole_roleNotAllowed_isAccessDenied403() {
    assertError(
        () ->
            sts.assumeRole(
                b -> b.roleArn("arn:aws:iam::333333333333:role/other").roleSessionName("s1")),
        "AccessDenied",
        403,
        "is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/other");
  }

  @Test
  void getCallerIdentity_returnsTheConfiguredCaller() {
    var id = sts.getCallerIdentity();
    assertThat(id.account()).isEqualTo("111111111111");
    assertThat(id.arn()).isEqualTo("arn:aws:sts::111111111111:assumed-role/deployer/lambda");
  }
}
