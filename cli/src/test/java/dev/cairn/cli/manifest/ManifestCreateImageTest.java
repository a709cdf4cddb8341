package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.common.CliRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn manifest create --image}: a Docker image asset of a real app ({@code
 * ecs-lambda-stages}) is pinned in the signed manifest by the digest CI pushed, and {@code manifest
 * verify} accepts the pinned reference as one of the asset's destinations.
 */
class ManifestCreateImageTest {

  static final RealAppsCorpusTest.App APP = RealAppsCorpusTest.APPS.get(0);
  static final String ASSET = "80d6dba9930b88d37628ed46ad21eabb240dd34b8e1da4e789a303466d7b1758";
  static final String PROD_IMAGE =
      "222222222222.dkr.ecr.us-east-1.amazonaws.com/"
          + "cdk-hnb659fds-container-assets-222222222222-us-east-1:"
          + ASSET
          + "@sha256:"
          + "ab".repeat(32);

  @TempDir Path tmp;

  CliRunner.Result create(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "manifest",
                "create",
                "--service",
                APP.name(),
                "--cdk-out",
                APP.cdkOut().toString(),
                "--commit",
                RealAppsCorpusTest.COMMIT,
                "--source-ref",
                "refs/heads/main",
                "--git-signature-verified",
                "true",
                "--context",
                RealAppsCorpusTest.CORPUS
                    .resolve(APP.name())
                    .resolve("offline.context.json")
                    .toString(),
                "--cdk-cli-version",
                "2.1148.1",
                "--build-time",
                "2026-12-06T09:00:00Z",
                "--out",
                tmp.resolve("artifact-manifest.json").toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void create_withImage_pinsTheAssetsEcrUri() {
    CliRunner.Result r = create("--image", ASSET + "=" + PROD_IMAGE);

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode m = RealAppsCorpusTest.parse(tmp.resolve("artifact-manifest.json"));
    assertThat(m.at("/assets/" + ASSET + "/ecrUri").asText()).isEqualTo(PROD_IMAGE);
  }

  @Test
  void verify_acceptsThePinnedImageAsOneOfTheAssetsDestinations() {
    assertThat(create("--image", ASSET + "=" + PROD_IMAGE).exit()).isZero();
    Path key = tmp.resolve("ci.key.pem");
    Path pub = tmp.resolve("ci.pub.pem");
    Path policy = tmp.resolve("trust-policy.json");
    Path manifest = tmp.resolve("artifact-manifest.json");
    CliArtifact.trustedSigner(key, pub, policy);
    RealAppsCorpusTest.Signed.ok(
        CliRunner.run(
            "manifest",
            "sign",
            "--manifest",
            manifest.toString(),
            "--signing-identity",
            RealAppsCorpusTest.IDENTITY,
            "--private-key-pem",
            key.toString()));

    CliRunner.Result r = new RealAppsCorpusTest.Signed(APP.cdkOut(), manifest, policy).verify();

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.json().get("verdict").textValue()).isEqualTo("accepted");
  }

  @Test
  void create_withoutImage_warnsThatTheDeployRefusesAnUnpinnedImage() {
    CliRunner.Result r = create();

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).contains("ASSET_IMAGE_NOT_PINNED");
  }

  @Test
  void create_withAnImageOfAnotherRepository_isRefused_noManifestWritten() {
    CliRunner.Result r =
        create(
            "--image",
            ASSET
                + "="
                + PROD_IMAGE.replace(
                    "cdk-hnb659fds-container-assets-222222222222-us-east-1", "someone-else"));

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("none of its destinations");
    assertThat(tmp.resolve("artifact-manifest.json")).doesNotExist();
  }

  @Test
  void create_withAnUnpinnedImage_isRefused() {
    CliRunner.Result r =
        create("--image", ASSET + "=" + PROD_IMAGE.substring(0, PROD_IMAGE.indexOf('@')));

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("@sha256:<digest>");
  }
}
