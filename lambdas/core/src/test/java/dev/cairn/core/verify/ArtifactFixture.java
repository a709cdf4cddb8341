package dev.cairn.core.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.port.ManifestSigner;
import dev.cairn.core.trust.TrustPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds one artifact per test: a copy of the example service's real {@code cdk.out} in a temp
 * directory, its manifest made by {@link ManifestFactory} (what CI runs), signed by a real key.
 * Each defect test mutates the copy or the manifest and verifies.
 */
public final class ArtifactFixture {

  public static final Path EXAMPLE = Path.of("../../examples/hello-service/cdk.out");
  public static final String SERVICE = "hello-service";
  public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  public static final String CONTEXT_HASH = Sha256.hex("{}".getBytes(StandardCharsets.UTF_8));
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);

  public static final String API_TEMPLATE = "hello-prod-api.template.json";
  public static final String API_ASSETS = "hello-prod-api.assets.json";
  public static final String ZIP_ASSET_ID =
      "aa89a8e20060173d8ba727e5311035c8096424f83e6e61453449af8f3e222d68";
  public static final String ZIP_ASSET_DIR = "asset." + ZIP_ASSET_ID;

  public final Path cdkOut;
  private TrustPolicy policy = TestKeys.POLICY;
  private VerifierOptions options = VerifierOptions.local().withHashThreads(2);
  private Expectations expectations = Expectations.none();

  private ArtifactFixture(Path cdkOut) {
    this.cdkOut = cdkOut;
  }

  /** A fresh copy of the example cdk.out under {@code dir}. */
  public static ArtifactFixture example(Path dir) {
    Path target = dir.resolve("cdk.out");
    try (Stream<Path> files = Files.walk(EXAMPLE)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(EXAMPLE.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArtifactFixture(target);
  }

  public static ManifestFactory.BuildFacts facts() {
    return new ManifestFactory.BuildFacts(
            SERVICE,
            COMMIT,
            TestKeys.MAIN,
            true,
            TestKeys.CLI_VERSION,
            CONTEXT_HASH,
            Map.of("aws-cdk-lib", "2.263.0"),
            "2026-01-31T12:00:00Z",
            42)
        .withGitSignature( // What cairn manifest create --repo --allowed-signers records after
            // verifying the commit.
            new ArtifactManifest.GitSignature(
                "ssh", "SHA256:" + "A".repeat(43), "ci@example.test", "main"));
  }

  /** The unsigned manifest CI would write for the current files. */
  public ObjectNode unsigned() {
    return unsigned(facts());
  }

  public ObjectNode unsigned(ManifestFactory.BuildFacts facts) {
    try {
      return ManifestFactory.create(new LocalDirectoryArtifactSource(cdkOut), facts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ManifestFactory.UnpublishableArtifactException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The manifest CI would write and sign with trusted key A. */
  public ObjectNode signed() {
    return ManifestFactory.sign(unsigned(), TestKeys.signerA());
  }

  public static ObjectNode sign(ObjectNode manifest, ManifestSigner signer) {
    return ManifestFactory.sign(manifest, signer);
  }

  /** Re-signs with key A after an edit (what an attacker holding the CI key could do). */
  public static ObjectNode resign(ObjectNode manifest) {
    return ManifestFactory.sign(manifest, TestKeys.signerA());
  }

  /** Recomputes file_hashes and artifact_sha256 from disk, leaving assets as they are. */
  public ObjectNode rehashed(ObjectNode manifest) {
    ObjectNode m = manifest.deepCopy();
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(cdkOut)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(
              cdkOut.relativize(p).toString().replace('\\', '/'),
              Sha256.hex(Files.readAllBytes(p)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode fh = m.putObject("file_hashes");
    files.forEach(fh::put);
    m.put("artifact_sha256", DirectoryHash.compute(files));
    return m;
  }

  public static byte[] bytes(ObjectNode manifest) {
    return Json.pretty(manifest).getBytes(StandardCharsets.UTF_8);
  }

  public ArtifactFixture policy(TrustPolicy policy) {
    this.policy = policy;
    return this;
  }

  public ArtifactFixture options(VerifierOptions options) {
    this.options = options;
    return this;
  }

  public ArtifactFixture expect(Expectations expectations) {
    this.expectations = expectations;
    return this;
  }

  public VerificationReport verify(ObjectNode manifest) {
    return verify(bytes(manifest));
  }

  public VerificationReport verify(byte[] manifestBytes) {
    return verify(manifestBytes, new LocalDirectoryArtifactSource(cdkOut));
  }

  public VerificationReport verify(byte[] manifestBytes, ArtifactSource source) {
    try {
      return new ArtifactVerifier(policy, options, CLOCK)
          .verify(manifestBytes, source, expectations, ProgressListener.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- a CDK app with stages (CDK Pipelines)

  /** The prod stacks' artifacts, which {@link #asStage} moves into a nested assembly. */
  public static final List<String> PROD_ARTIFACTS =
      List.of(
          "hello-prod-data.assets", "hello-prod-data", "hello-prod-api.assets", "hello-prod-api");

  /** A file asset (packaging file) {@link #asStage} adds to the root, named from the stage. */
  public static final String STAGE_FILE_ASSET_ID = Sha256.hex(utf8("stage file asset"));

  /** A container image asset (a Dockerfile folder) {@link #asStage} adds to the root. */
  public static final String STAGE_IMAGE_ASSET_ID = Sha256.hex(utf8("stage image asset"));

  /**
   * Reshapes the copy as {@code cdk synth} writes an app whose prod stacks are in a {@code
   * cdk.Stage}: their artifacts and files move into the nested assembly {@code nesting} (each name
   * a directory inside the one before, the first listed in the root {@code manifest.json} as a
   * {@code cdk:cloud-assembly}), while the asset folders stay in the root, so the moved asset
   * manifests name them {@code ../asset.<hash>} (one {@code ../} per level). The prod api stack
   * also gets a file asset and a container image asset in the root.
   *
   * @return the innermost assembly's directory, e.g. {@code "assembly-Prod/"}
   */
  public String asStage(String... nesting) {
    try {
      String up = "../".repeat(nesting.length);
      String dir = String.join("/", nesting) + "/";
      ObjectNode root = (ObjectNode) Json.parse(Files.readAllBytes(file("manifest.json")));
      ObjectNode rootArtifacts = (ObjectNode) root.get("artifacts");
      ObjectNode inner = Json.object();
      for (String id : PROD_ARTIFACTS) {
        inner.set(id, rootArtifacts.remove(id));
      }
      for (String stack : List.of("hello-prod-data", "hello-prod-api")) {
        for (String suffix : List.of(".assets.json", ".metadata.json", ".template.json")) {
          Files.createDirectories(file(dir));
          Files.move(file(stack + suffix), file(dir + stack + suffix));
        }
      }
      write("asset." + STAGE_FILE_ASSET_ID + ".json", "{\"handler\":\"generated\"}\n");
      write("asset." + STAGE_IMAGE_ASSET_ID + "/Dockerfile", "FROM scratch\n");
      ObjectNode apiAssets =
          (ObjectNode) Json.parse(Files.readAllBytes(file(dir + "hello-prod-api.assets.json")));
      ObjectNode files = (ObjectNode) apiAssets.get("files");
      files
          .putObject(STAGE_FILE_ASSET_ID)
          .<ObjectNode>set(
              "source",
              Json.object()
                  .put("path", "asset." + STAGE_FILE_ASSET_ID + ".json")
                  .put("packaging", "file"))
          .putObject("destinations")
          .putObject("222222222222-us-east-1-5c2b7a1e")
          .put("bucketName", "cdk-hnb659fds-assets-222222222222-us-east-1")
          .put("objectKey", STAGE_FILE_ASSET_ID + ".json")
          .put("region", "us-east-1");
      ObjectNode images = Json.object();
      apiAssets.set("dockerImages", images);
      images
          .putObject(STAGE_IMAGE_ASSET_ID)
          .<ObjectNode>set(
              "source", Json.object().put("directory", "asset." + STAGE_IMAGE_ASSET_ID))
          .putObject("destinations")
          .putObject("222222222222-us-east-1-9d3f0c44")
          .put("repositoryName", "cdk-hnb659fds-container-assets-222222222222-us-east-1")
          .put("imageTag", STAGE_IMAGE_ASSET_ID)
          .put("region", "us-east-1");
      write(dir + "hello-prod-api.assets.json", Json.pretty(apiAssets));
      for (String stack : List.of("hello-prod-data", "hello-prod-api")) {
        String assets = dir + stack + ".assets.json";
        ObjectNode m = (ObjectNode) Json.parse(Files.readAllBytes(file(assets)));
        for (String section : List.of("files", "dockerImages")) {
          m.path(section)
              .forEach(
                  a -> {
                    ObjectNode src = (ObjectNode) a.get("source");
                    String field = src.has("path") ? "path" : "directory";
                    if (src.path(field).asText().startsWith("asset.")) {
                      src.put(field, up + src.get(field).asText());
                    }
                  });
        }
        write(assets, Json.pretty(m));
      }
      // The nested manifests, innermost first; each level names the next as a cloud assembly.
      ObjectNode artifacts = inner;
      for (int level = nesting.length - 1; level >= 0; level--) {
        String here = String.join("/", List.of(nesting).subList(0, level + 1)) + "/";
        ObjectNode manifest = Json.object().put("version", root.get("version").asText());
        manifest.set("artifacts", artifacts);
        write(here + "manifest.json", Json.pretty(manifest));
        artifacts = Json.object();
        artifacts
            .putObject(nesting[level])
            .put("type", "cdk:cloud-assembly")
            .putObject("properties")
            .put("directoryName", nesting[level])
            .put("displayName", nesting[level].substring("assembly-".length()));
      }
      artifacts.fields().forEachRemaining(e -> rootArtifacts.set(e.getKey(), e.getValue()));
      write("manifest.json", Json.pretty(root));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // --- mutations of the copy on disk

  public Path file(String relative) {
    return cdkOut.resolve(relative);
  }

  public void append(String relative, String text) {
    try {
      Files.writeString(file(relative), text, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(String relative, String text) {
    try {
      Files.createDirectories(file(relative).getParent());
      Files.writeString(file(relative), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(String relative) {
    try {
      Files.delete(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
