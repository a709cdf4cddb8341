package dev.cairn.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.EcrEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/**
 * The image the sandbox's CI step pushes for a Docker image asset: the build context of a real app
 * ({@code ecs-lambda-stages}) as one layer, the same bytes on every build, and its digest the one
 * ECR computes from the manifest it receives.
 */
class ContextImageTest {

  static final Path CONTEXT =
      Path.of(
          "../examples/real-apps/ecs-lambda-stages/cdk.out/"
              + "asset.80d6dba9930b88d37628ed46ad21eabb240dd34b8e1da4e789a303466d7b1758");
  static final String ASSET = "80d6dba9930b88d37628ed46ad21eabb240dd34b8e1da4e789a303466d7b1758";
  static final String REPO = "cdk-hnb659fds-container-assets-222222222222-us-east-1";

  @Test
  void of_sameContext_sameBytes_digestIsTheSha256OfTheManifest() throws Exception {
    ContextImage a = ContextImage.of(ASSET, CONTEXT);
    ContextImage b = ContextImage.of(ASSET, CONTEXT);

    assertThat(a.manifest()).isEqualTo(b.manifest());
    assertThat(a.layer()).isEqualTo(b.layer());
    assertThat(a.digest()).isEqualTo(EcrEmulator.sha256(a.manifest()));
    JsonNode manifest = Json.parse(a.manifest());
    assertThat(manifest.path("mediaType").asText()).isEqualTo(ContextImage.MANIFEST_MEDIA_TYPE);
    assertThat(manifest.at("/layers/0/digest").asText()).isEqualTo(EcrEmulator.sha256(a.layer()));
    assertThat(manifest.at("/layers/0/size").asLong()).isEqualTo(a.layer().length);
    assertThat(manifest.at("/config/digest").asText()).isEqualTo(EcrEmulator.sha256(a.config()));
    JsonNode config = Json.parse(a.config());
    assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo(EcrEmulator.sha256(a.layer()));
    assertThat(config.at("/config/Labels").path(ContextImage.LABEL).asText()).contains("not built");
  }

  @Test
  void layer_isAUstarOfEveryContextFile_sortedWithTheirBytes() throws Exception {
    Map<String, byte[]> expected = new LinkedHashMap<>();
    try (var walk = Files.walk(CONTEXT)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        expected.put(CONTEXT.relativize(f).toString(), Files.readAllBytes(f));
      }
    }

    Map<String, byte[]> read = untar(ContextImage.of(ASSET, CONTEXT).layer());

    assertThat(read.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((name, bytes) -> assertThat(read.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void of_aChangedContextFile_changesTheDigest(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("Dockerfile"), "FROM scratch\n");
    String before = ContextImage.of(ASSET, tmp).digest();
    Files.writeString(tmp.resolve("Dockerfile"), "FROM scratch \n");

    assertThat(ContextImage.of(ASSET, tmp).digest()).isNotEqualTo(before);
  }

  @Test
  void publish_pushesOnce_thenFindsTheTag_andEcrServesTheSameManifest() throws Exception {
    EcrEmulator ecr =
        new EcrEmulator(
            "222222222222", Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC));
    ecr.createRepository(REPO, ImageTagMutability.IMMUTABLE);
    ContextImage image = ContextImage.of(ASSET, CONTEXT);

    RegistryPush.Outcome first = RegistryPush.publish(ecr, "222222222222", REPO, ASSET, image);
    RegistryPush.Outcome second = RegistryPush.publish(ecr, "222222222222", REPO, ASSET, image);

    assertThat(first).isEqualTo(new RegistryPush.Outcome(true, image.digest()));
    assertThat(second).isEqualTo(new RegistryPush.Outcome(false, image.digest()));
    var got =
        ecr.batchGetImage(
            r ->
                r.repositoryName(REPO).imageIds(ImageIdentifier.builder().imageTag(ASSET).build()));
    assertThat(
            EcrEmulator.sha256(
                got.images().get(0).imageManifest().getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.digest());
    assertThat(ecr.callCounts())
        .containsEntry("PutImage", 1)
        .containsEntry("CompleteLayerUpload", 2)
        .containsEntry("DescribeImages", 2);
  }

  /** Reads a ustar archive: name (with prefix) → bytes. */
  private static Map<String, byte[]> untar(byte[] tar) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int at = 0;
    while (at + 512 <= tar.length && tar[at] != 0) {
      String name = field(tar, at, 100);
      String prefix = field(tar, at + 345, 155);
      long size = Long.parseLong(field(tar, at + 124, 12).trim(), 8);
      assertThat(field(tar, at + 257, 6)).isEqualTo("ustar");
      long sum = 0;
      for (int i = 0; i < 512; i++) {
        sum += (i >= 148 && i < 156) ? ' ' : tar[at + i] & 0xff;
      }
      assertThat(Long.parseLong(field(tar, at + 148, 8).trim(), 8)).as("checksum").isEqualTo(sum);
      byte[] body = new byte[(int) size];
      System.arraycopy(tar, at + 512, body, 0, (int) size);
      out.put(prefix.isEmpty() ? name : prefix + "/" + name, body);
      at += 512 + (int) ((size + 511) / 512 * 512);
    }
    return out;
  }

  private static String field(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && b[end] != 0) {
      end++;
    }
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }
}
