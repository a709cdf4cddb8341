package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.live.LiveControlPlane;
import dev.cairn.sandbox.local.http.LocalAwsEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code cdk-assets publish} (npm, pinned in tools/cdk-assets) publishes the example's
 * assets through {@code sandbox up}'s endpoint as CI does, and the sandbox's IAM evaluation decides
 * every call it makes against the synthesized CI role and the bootstrap template's publishing
 * roles.
 */
class CdkAssetsPublishTest {

  @TempDir Path tmp;

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("tools/cdk-assets"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no Cairn checkout above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Path cdkAssets() {
    Path bin = repoRoot().resolve("tools/cdk-assets/node_modules/cdk-assets/bin/cdk-assets.js");
    assertThat(bin).as("npm ci in tools/cdk-assets (the build runs it)").exists();
    return bin;
  }

  record Run(int exit, String output) {}

  /** Runs {@code cdk-assets publish} on every asset manifest of {@code cdkOut} as {@code role}. */
  static List<Run> publishAll(LiveControlPlane up, String role, Path cdkOut) throws Exception {
    LocalAwsEndpoint.Session session =
        up.endpoint().issue(role, "cairn-ci-test", Duration.ofMinutes(15));
    List<Path> manifests;
    try (Stream<Path> s = Files.walk(cdkOut)) {
      manifests = s.filter(p -> p.toString().endsWith(".assets.json")).sorted().toList();
    }
    List<Run> runs = new ArrayList<>();
    for (Path m : manifests) {
      ProcessBuilder pb =
          new ProcessBuilder("node", cdkAssets().toString(), "publish", "--path", m.toString())
              .redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_"));
      env.put("AWS_ACCESS_KEY_ID", session.accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", session.secretAccessKey());
      env.put("AWS_SESSION_TOKEN", session.sessionToken());
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ENDPOINT_URL", up.endpoint().uri().toString());
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      // No shared config or credentials file of whoever runs the test takes part.
      env.put("AWS_CONFIG_FILE", cdkOut.resolve("no-aws-config").toString());
      env.put("AWS_SHARED_CREDENTIALS_FILE", cdkOut.resolve("no-aws-credentials").toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      runs.add(new Run(p.exitValue(), m.getFileName() + ": " + out));
    }
    return runs;
  }

  /** A copy of the hello-service cdk.out under {@code tmp}, which JUnit removes afterwards. */
  static Path exampleCdkOut(Path tmp) throws IOException {
    Path copy = tmp.resolve("cdk.out");
    DirectoryCopy.copyTree(repoRoot().resolve("examples/hello-service/cdk.out"), copy);
    return copy;
  }

  static LiveControlPlane up() throws IOException {
    return up(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  static LiveControlPlane up(java.io.PrintStream timeline) throws IOException {
    return LiveControlPlane.start(new LiveControlPlane.Options(0, 0, 0, 60, timeline, repoRoot()));
  }

  @Test
  void inlineIam_aCallThePoliciesDeny_isAccessDenied_andNeverMade() throws Exception {
    assumeFalse(Boolean.getBoolean("iam.check.skip"), "built with -Diam.check.skip=true");
    var timeline = new java.io.ByteArrayOutputStream();
    try (LiveControlPlane up = up(new java.io.PrintStream(timeline, true))) {
      assertThat(up.iamInline()).as("the evaluator is installed (npm ci in iam-check)").isTrue();
      LocalAwsEndpoint.Session ci =
          up.endpoint().issue(up.world().ciRoleArn(), "ci", Duration.ofMinutes(15));
      String bucket = up.world().assetBuckets().get(0);
      // CI may publish assets only through the target account's publishing role, never itself.
      try (var s3 =
          software.amazon.awssdk.services.s3.S3Client.builder()
              .endpointOverride(up.endpoint().uri())
              .forcePathStyle(true)
              .region(software.amazon.awssdk.regions.Region.US_EAST_1)
              .credentialsProvider(
                  software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                      software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                          ci.accessKeyId(), ci.secretAccessKey(), ci.sessionToken())))
              .build()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () ->
                    s3.putObject(
                        r -> r.bucket(bucket).key("swapped.template.json"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("{}")))
            .isInstanceOfSatisfying(
                software.amazon.awssdk.services.s3.model.S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).as(timeline.toString()).isEqualTo(403);
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
      }
      assertThat(up.world().objectKeys(bucket)).doesNotContain("swapped.template.json");
      assertThat(up.world().denials())
          .singleElement()
          .asString()
          .contains(up.world().ciRoleArn(), "s3:PutObject", bucket);
      assertThat(timeline.toString()).contains("• IAM denied: " + up.world().ciRoleArn());
      System.out.println("inline IAM: " + up.world().inlineIamCost());
    }
  }

  @Test
  void cdkAssetsPublish_asTheCiRole_publishesEveryAsset_withNoIamDenial() throws Exception {
    assumeFalse(Boolean.getBoolean("iam.check.skip"), "built with -Diam.check.skip=true");
    Path cdkOut = exampleCdkOut(tmp);
    try (LiveControlPlane up = up()) {
      LiveWorld ci = up.world();
      List<Run> runs = publishAll(up, ci.ciRoleArn(), cdkOut);

      assertThat(runs).isNotEmpty().allSatisfy(r -> assertThat(r.exit()).as(r.output()).isZero());
      // Each destination object holds the asset: templates byte for byte, the handler zipped.
      List<String> environments = List.of("stage", "prod");
      for (int i = 0; i < environments.size(); i++) {
        String env = environments.get(i);
        String bucket = ci.assetBuckets().get(i);
        List<String> keys = ci.objectKeys(bucket);
        assertThat(keys)
            .contains("aa89a8e20060173d8ba727e5311035c8096424f83e6e61453449af8f3e222d68.zip");
        for (String template :
            List.of(
                "hello-" + env + "-api.template.json", "hello-" + env + "-data.template.json")) {
          byte[] local = Files.readAllBytes(cdkOut.resolve(template));
          String key = dev.cairn.core.integrity.Sha256.hex(local) + ".json";
          assertThat(keys).contains(key);
          assertThat(ci.object(bucket, key)).isEqualTo(local);
        }
      }
      // Every call above was decided inline as well, and none was refused.
      assertThat(ci.denials()).isEmpty();
      System.out.println("inline IAM over cdk-assets publish: " + ci.inlineIamCost());
      JsonNode iam = ci.iamCheck(repoRoot());
      assertThat(iam.path("evaluator").asText("")).isNotEqualTo("unavailable");
      assertThat(iam.path("denied")).as(Json.pretty(iam)).isEmpty();
      assertThat(iam.path("calls_checked").asInt())
          .as("AssumeRole for each target account, then the bucket calls as its publishing role")
          .isGreaterThanOrEqualTo(2 + 4 * 2);
      assertThat(iam.at("/negative_controls/allowed_by_mistake")).isEmpty();
    }
  }

  @Test
  void cdkAssetsPublish_asARoleWithoutThePublishingGrant_isDeniedByIam() throws Exception {
    assumeFalse(Boolean.getBoolean("iam.check.skip"), "built with -Diam.check.skip=true");
    Path cdkOut = exampleCdkOut(tmp);
    try (LiveControlPlane up = up()) {
      String deployer = "arn:aws:iam::" + up.world().account() + ":role/cairn-deployer-lambda";
      publishAll(up, deployer, cdkOut);

      JsonNode denied = up.world().iamCheck(repoRoot()).path("denied");
      assertThat(denied).isNotEmpty();
      assertThat(denied.get(0).path("principal").asText()).isEqualTo(deployer);
      assertThat(denied.get(0).path("action").asText()).isEqualTo("sts:AssumeRole");
    }
  }
}
