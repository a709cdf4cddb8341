package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.pipeline.port.AssetDestinations;
import dev.cairn.core.verify.ArtifactFixture;
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
import org.junit.jupiter.api.io.TempDir;

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

  @TempDir Path tmp;
  LocalDirectoryArtifactSource source;
  final Map<String, byte[]> bootstrapBucket = new HashMap<>(); // "bucket/key" -> bytes
  final Map<String, String> registry = new HashMap<>(); // "repository:tag" -> digest
  ArtifactManifest manifest;

  @BeforeEach
  void publishExample() throws Exception {
    publishLikeCdkAssets(EXAMPLE);
  }

  void publishLikeCdkAssets(Path cdkOut) throws Exception {
    bootstrapBucket.clear();
    source = new LocalDirectoryArtifactSource(cdkOut);
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
            "sig",
            null,
            null,
            null);
    for (String path : fileHashes.keySet()) {
      if (!path.endsWith(".assets.json")) {
        continue;
      }
      Path assetManifest = cdkOut.resolve(path);
      JsonNode assets = Json.parse(Files.readAllBytes(assetManifest));
      assets
          .path("files")
          .forEach(
              asset -> {
                // Relative to the asset manifest, as cdk-assets reads it.
                Path file =
                    assetManifest
                        .getParent()
                        .resolve(asset.at("/source/path").asText())
                        .normalize();
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

  /** The example as a Stage app, published, its container image pushed and pinned by digest. */
  private void publishStage() throws Exception {
    ArtifactFixture fx = ArtifactFixture.example(tmp);
    fx.asStage("assembly-Prod");
    publishLikeCdkAssets(fx.cdkOut);
    String image = ArtifactFixture.STAGE_IMAGE_ASSET_ID;
    String repository = "cdk-hnb659fds-container-assets-222222222222-us-east-1";
    String digest = "sha256:" + "d".repeat(64);
    registry.put(repository + ":" + image, digest);
    TreeMap<String, ArtifactManifest.AssetDeclaration> assets = new TreeMap<>(manifest.assets());
    assets.put(
        image,
        new ArtifactManifest.AssetDeclaration(
            "0".repeat(64),
            null,
            "222222222222.dkr.ecr.us-east-1.amazonaws.com/" + repository + "@" + digest));
    manifest =
        new ArtifactManifest(
            manifest.schemaVersion(),
            manifest.service(),
            manifest.commit(),
            manifest.sourceRef(),
            manifest.gitSignatureVerified(),
            manifest.artifactSha256(),
            manifest.cdkCliVersion(),
            manifest.cdkContextHash(),
            manifest.fileHashes(),
            assets,
            manifest.cdkLibraryVersions(),
            manifest.buildTime(),
            manifest.buildDurationSeconds(),
            manifest.signingIdentity(),
            manifest.signature(),
            manifest.gitSignature(),
            manifest.commitTime(),
            manifest.cdkContextBless());
  }

  @Test
  void check_whenStageAssetsNameRootFoldersAndArePublished_passes() throws Exception {
    publishStage();

    assertThat(AssetDestinationCheck.check(source, manifest, PROD, destinations())).isEmpty();
  }

  @Test
  void check_whenStageLambdaCodeAtTheDestinationIsTampered_failsAssetIntegrity() throws Exception {
    publishStage();
    String object =
        "cdk-hnb659fds-assets-222222222222-us-east-1/" + ArtifactFixture.ZIP_ASSET_ID + ".zip";
    assertThat(bootstrapBucket).containsKey(object);
    Files.createDirectories(tmp.resolve("other"));
    Files.writeString(tmp.resolve("other/index.js"), "exports.handler = () => 'backdoor';");
    bootstrapBucket.put(object, zip(tmp.resolve("other")));

    List<Failure> failures = AssetDestinationCheck.check(source, manifest, PROD, destinations());

    assertThat(failures)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FailureCode.ASSET_DESTINATION_HASH_MISMATCH);
              assertThat(f.path()).isEqualTo(ArtifactFixture.ZIP_ASSET_DIR);
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
        return Optional.ofNullable(registry.get(repo + ":" + tag));
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
