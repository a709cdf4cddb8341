package dev.cairn.sandbox.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS over the query protocol, as the SDK's StsClient speaks it. */
class StsEndpointTest {

  static final String CI = "arn:aws:iam::000000000000:role/cdk-ci-artifact-builder";
  static final String OPERATOR = "arn:aws:iam::000000000000:role/cairn-operator";

  final Callers callers = new Callers(CI);
  StsEndpoint endpoint;
  StsClient client;

  @BeforeEach
  void start() throws Exception {
    endpoint =
        StsEndpoint.start(
            0,
            callers,
            Set.of(CI, OPERATOR),
            Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC));
    client = SdkClients.on(StsClient.builder(), endpoint.endpoint());
  }

  @AfterEach
  void stop() {
    client.close();
    endpoint.close();
  }

  @Test
  void getCallerIdentity_withTheUsersOwnKeys_isTheDefaultPrincipal() {
    var id = client.getCallerIdentity();
    assertThat(id.account()).isEqualTo("000000000000");
    assertThat(id.arn())
        .isEqualTo("arn:aws:sts::000000000000:assumed-role/cdk-ci-artifact-builder/cairn-sandbox");
    assertThat(id.userId()).matches("AROA[0-9A-F]{17}:cairn-sandbox");
  }

  @Test
  void assumeRole_issuesCredentialsThatActAsTheRole() {
    var resp = client.assumeRole(r -> r.roleArn(OPERATOR).roleSessionName("alice"));
    assertThat(resp.credentials().accessKeyId()).startsWith("ASIA");
    assertThat(resp.credentials().expiration()).isEqualTo(Instant.parse("2026-12-06T13:00:00Z"));
    assertThat(resp.assumedRoleUser().arn())
        .isEqualTo("arn:aws:sts::000000000000:assumed-role/cairn-operator/alice");
    try (StsClient asAlice =
        SdkClients.on(
            StsClient.builder(),
            endpoint.endpoint(),
            AwsBasicCredentials.create(
                resp.credentials().accessKeyId(), resp.credentials().secretAccessKey()))) {
      assertThat(asAlice.getCallerIdentity().arn())
          .isEqualTo("arn:aws:sts::000000000000:assumed-role/cairn-operator/alice");
    }
  }

  @Test
  void assumeRole_ofARoleTheTemplatesDoNotCreate_isAccessDenied_inAnErrorResponse() {
    assertThatThrownBy(
            () ->
                client.assumeRole(
                    r -> r.roleArn("arn:aws:iam::999999999999:role/admin").roleSessionName("x")))
        .isInstanceOfSatisfying(
            StsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              assertThat(e.awsErrorDetails().errorMessage()).contains("sts:AssumeRole");
            });
  }
}
