package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.verify.Failure;
import dev.cairn.core.verify.FailureCode;
import dev.cairn.core.verify.Gate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gate 8 at the destinations: the stack templates CloudFormation is given as {@code TemplateURL}
 * are among the objects whose hashes are checked in the target account.
 */
class AssetDestinationCheckTest {

  static final Path EXAMPLE = Path.of("../../examples/hello-service/cdk.out");
  static final EnvironmentPolicy PROD =
      new EnvironmentPolicy(
          "prod",
          "222222222222",
          "us-east-1",
          "arn:aws:iam::222222222222:role/cairn-prod-deploy",
          "arn:aws:iam::222222222222:role/cairn-prod-cfn-exec",
          "arn:aws:iam::222222222222:role/cairn-prod-read-only",
          false,
          null,
          0,
          List.of(),
          0,
          null);

  final LocalDirectoryArtifactSource source = new LocalDirectoryArtifactSource(EXAMPLE);
  final Map<String, byte[]> bootstrapBucket = new HashMap<>(); // "bucket/key" -> bytes
  ArtifactManifest manifest;

  @BeforeEach
  void publishLikeCdkAssets() throws Exception {
    JsonNode m =
        ManifestFactory.create(
            source,
            new ManifestFactory.BuildFacts(
                "hello",
                "0123456789abcdef0123456789abcdef01234567",
                "refs/heads/main",
                true,
                "2.1000.0",
                null,
                Map.of(),
                "2026-12-06T00:00:00Z",
                1.0));
    TreeMap<String, String> fileHashes = new TreeMap<>();
    m.path("file_hashes")
        .fields()
        .forEachRemaining(e -> fileHashes.put(e.getKey(), e.getValue().asText()));
    manifest =
        new ArtifactManifest(
            ArtifactManifest.SCHEMA_VERSION,
            "hello",
            "0123456789abcdef0123456789abcdef01234567",
            "refs/heads/main",
            true,
            m.path("artifact_sha256").asText(),
            "2.1000.0",
            null,
            fileHashes,
            new TreeMap<>(),
            Map.of(),
            "2026-12-06T00:00:00Z",
            1.0,
            "ci",
            "sig");
    for (String path : fileHashes.keySet()) {
      if (!path.endsWith(".assets.json")) {
        continue;
      }
      JsonNode assets = Json.parse(Files.readAllBytes(EXAMPLE.resolve(path)));
      assets
          .path("files")
          .forEach(
              asset -> {
                Path file = EXAMPLE.resolve(asset.at("/source/path").asText());
                byte[] body = Files.isDirectory(file) ? zip(file) : read(file);
                asset
                    .path("destinations")
                    .forEach(
                        d ->
                            bootstrapBucket.put(
                                d.path("bucketName").asText() + "/" + d.path("objectKey").asText(),
                                body));
              });
    }
  }

  @Test
  void check_whenEveryAssetIsPublished_passes() throws IOException {
    assertThat(AssetDestinationCheck.check(source, manifest, PROD, destinations())).isEmpty();
  }

  @Test
  void check_whenTheTemplateInTheBootstrapBucketIsTampered_failsAssetIntegrity() throws Exception {
    StackArtifact stack = CloudAssembly.read(source).planFor("222222222222", "us-east-1").get(0);
    String object = stack.templateObject().bucket() + "/" + stack.templateObject().key();
    assertThat(bootstrapBucket).containsKey(object);
    bootstrapBucket.put(
        object,
        "{\"Resources\":{\"Backdoor\":{\"Type\":\"AWS::IAM::User\"}}}"
            .getBytes(StandardCharsets.UTF_8));

    List<Failure> failures = AssetDestinationCheck.check(source, manifest, PROD, destinations());

    assertThat(failures).hasSize(1);
    Failure f = failures.get(0);
    assertThat(f.code()).isEqualTo(FailureCode.ASSET_DESTINATION_HASH_MISMATCH);
    assertThat(f.gate()).isEqualTo(Gate.ASSET_INTEGRITY);
    assertThat(f.path()).isEqualTo(stack.templatePath());
    assertThat(f.detail()).contains("s3://" + object);
  }

  @Test
  void check_whenTheTemplateIsMissingFromTheBootstrapBucket_failsAssetIntegrity() throws Exception {
    StackArtifact stack = CloudAssembly.read(source).planFor("222222222222", "us-east-1").get(1);
    bootstrapBucket.remove(stack.templateObject().bucket() + "/" + stack.templateObject().key());

    List<Failure> failures = AssetDestinationCheck.check(source, manifest, PROD, destinations());

    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FailureCode.ASSET_MISSING_AT_DESTINATION);
              assertThat(f.path()).isEqualTo(stack.templatePath());
            });
  }

  private AssetDestinations destinations() {
    return new AssetDestinations() {
      @Override
      public Optional<InputStream> openObject(
          EnvironmentPolicy environment, String bucket, String key) {
        return Optional.ofNullable(bootstrapBucket.get(bucket + "/" + key))
            .map(ByteArrayInputStream::new);
      }

      @Override
      public Optional<String> imageDigest(EnvironmentPolicy environment, String repo, String tag) {
        return Optional.empty();
      }
    };
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A directory asset as cdk-assets zips it. */
  private static byte[] zip(Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out);
        var walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
