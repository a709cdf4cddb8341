package dev.cairn.sandbox.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.servers.LocalS3;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/** The STS query protocol and S3 forwarding, driven by the real AWS SDK for Java v2 clients. */
class LocalAwsEndpointTest {

  static final String CI_ROLE = "arn:aws:iam::000000000000:role/cdk-ci-artifact-builder";
  static final String PUBLISHING_ROLE =
      "arn:aws:iam::111111111111:role/cdk-hnb659fds-file-publishing-role-111111111111-us-east-1";
  static final String BUCKET = "cdk-hnb659fds-assets-111111111111-us-east-1";

  record Recorded(String principal, String service, String operation, Object request) {}

  static LocalS3 s3Proxy;
  static LocalAwsEndpoint endpoint;
  static final List<Recorded> recorded = new ArrayList<>();

  @BeforeAll
  static void start() {
    s3Proxy = LocalS3.start(0);
    try (S3Client admin = s3Proxy.client()) {
      LocalS3.createVersionedBucket(admin, BUCKET);
    }
    endpoint = LocalAwsEndpoint.start(0, Clock.systemUTC());
    LocalAwsEndpoint.Recorder recorder =
        (p, s, o, r) -> {
          synchronized (recorded) {
            recorded.add(new Recorded(p, s, o, r));
          }
        };
    endpoint
        .serve("sts", new StsQueryProtocol(endpoint, PUBLISHING_ROLE::equals, recorder))
        .serve(
            "s3",
            new S3Forwarding(
                s3Proxy.endpoint(),
                LocalS3.ACCESS_KEY,
                LocalS3.SECRET_KEY,
                "us-east-1",
                b -> b.equals(BUCKET) ? Optional.of("111111111111") : Optional.empty(),
                recorder));
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    s3Proxy.close();
  }

  static StaticCredentialsProvider credentials(LocalAwsEndpoint.Session s) {
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
  }

  static StsClient sts(StaticCredentialsProvider c) {
    return StsClient.builder()
        .endpointOverride(endpoint.uri())
        .region(Region.US_EAST_1)
        .credentialsProvider(c)
        .build();
  }

  static S3Client s3(StaticCredentialsProvider c) {
    return S3Client.builder()
        .endpointOverride(endpoint.uri())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(c)
        .build();
  }

  Credentials assumePublishingRole() {
    LocalAwsEndpoint.Session ci = endpoint.issue(CI_ROLE, "cairn-ci-1", Duration.ofMinutes(15));
    try (StsClient sts = sts(credentials(ci))) {
      return sts.assumeRole(r -> r.roleArn(PUBLISHING_ROLE).roleSessionName("cdk-assets-runner"))
          .credentials();
    }
  }

  @Test
  void getCallerIdentity_answersTheSessionOfTheKey() {
    LocalAwsEndpoint.Session ci = endpoint.issue(CI_ROLE, "cairn-ci-7", Duration.ofMinutes(15));
    try (StsClient sts = sts(credentials(ci))) {
      var id = sts.getCallerIdentity();
      assertThat(id.account()).isEqualTo("000000000000");
      assertThat(id.arn())
          .isEqualTo("arn:aws:sts::000000000000:assumed-role/cdk-ci-artifact-builder/cairn-ci-7");
      assertThat(id.userId()).startsWith("AROA").endsWith(":cairn-ci-7");
    }
  }

  @Test
  void assumeRole_issuesASessionOfTheRole_andRecordsTheCallAsTheCaller() {
    Credentials c = assumePublishingRole();
    assertThat(c.expiration()).isAfter(java.time.Instant.now());
    try (StsClient sts =
        sts(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))) {
      assertThat(sts.getCallerIdentity().arn())
          .isEqualTo(
              "arn:aws:sts::111111111111:assumed-role/cdk-hnb659fds-file-publishing-role-111111111111-us-east-1/cdk-assets-runner");
    }
    synchronized (recorded) {
      assertThat(recorded)
          .anySatisfy(
              r -> {
                assertThat(r.principal()).isEqualTo(CI_ROLE);
                assertThat(r.operation()).isEqualTo("AssumeRole");
                assertThat(
                        ((software.amazon.awssdk.services.sts.model.AssumeRoleRequest) r.request())
                            .roleArn())
                    .isEqualTo(PUBLISHING_ROLE);
              });
    }
  }

  @Test
  void assumeRole_ofARoleNoAccountHas_isAccessDenied() {
    LocalAwsEndpoint.Session ci = endpoint.issue(CI_ROLE, "cairn-ci-2", Duration.ofMinutes(15));
    try (StsClient sts = sts(credentials(ci))) {
      assertThatThrownBy(
              () ->
                  sts.assumeRole(
                      r -> r.roleArn("arn:aws:iam::111111111111:role/admin").roleSessionName("x1")))
          .isInstanceOfSatisfying(
              StsException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              });
    }
  }

  @Test
  void aKeyTheEndpointNeverIssued_isRefusedBeforeAnyService() {
    var stranger =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create("ASIASTRANGER", "secret", "token"));
    try (S3Client s3 = s3(stranger)) {
      assertThatThrownBy(() -> s3.listObjectsV2(r -> r.bucket(BUCKET)))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void s3_asTheAssumedRole_putsListsAndReads_eachCallRecordedAsTheRole() {
    Credentials c = assumePublishingRole();
    var role =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    byte[] body = "{\"Resources\":{}}".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = s3(role)) {
      assertThat(s3.getBucketLocation(r -> r.bucket(BUCKET)).sdkHttpResponse().isSuccessful())
          .isTrue();
      s3.putObject(
          r ->
              r.bucket(BUCKET)
                  .key("abc.json")
                  .checksumAlgorithm(
                      software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256),
          RequestBody.fromBytes(body));
      var listed = s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("abc.json").maxKeys(1));
      assertThat(listed.contents()).extracting(o -> o.key()).containsExactly("abc.json");
      assertThat(listed.contents().get(0).size()).isEqualTo(body.length);
      assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("abc.json")).asByteArray())
          .isEqualTo(body);
      assertThat(s3.headObject(r -> r.bucket(BUCKET).key("abc.json")).contentLength())
          .isEqualTo(body.length);
    }
    synchronized (recorded) {
      assertThat(
              recorded.stream()
                  .filter(r -> r.service().equals("S3"))
                  .filter(r -> r.principal().equals(PUBLISHING_ROLE))
                  .map(Recorded::operation))
          .contains("GetBucketLocation", "PutObject", "ListObjectsV2", "GetObject", "HeadObject");
    }
  }

  @Test
  void putObject_whoseChecksumDoesNotMatch_isBadDigest_andNotStored() {
    Credentials c = assumePublishingRole();
    var role =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    String wrong =
        Base64.getEncoder()
            .encodeToString(dev.cairn.core.integrity.Sha256.fromHex("00".repeat(32)));
    try (S3Client s3 = s3(role)) {
      assertThatThrownBy(
              () ->
                  s3.putObject(
                      r -> r.bucket(BUCKET).key("bad.json").checksumSHA256(wrong),
                      RequestBody.fromString("{}")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
      assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("bad.json")).contents()).isEmpty();
    }
  }

  @Test
  void expectedBucketOwner_thatDoesNotOwnTheBucket_isAccessDenied() {
    Credentials c = assumePublishingRole();
    var role =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    try (S3Client s3 = s3(role)) {
      assertThatThrownBy(
              () -> s3.getBucketLocation(r -> r.bucket(BUCKET).expectedBucketOwner("222222222222")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              });
    }
  }

  @Test
  void anOperationTheSandboxDoesNotServe_isNotImplemented_andNotForwarded() {
    Credentials c = assumePublishingRole();
    var role =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    try (S3Client s3 = s3(role)) {
      assertThatThrownBy(() -> s3.deleteObject(r -> r.bucket(BUCKET).key("abc.json")))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
    }
    synchronized (recorded) {
      assertThat(recorded).noneMatch(r -> r.operation().equals("DeleteObject"));
    }
  }
}
