package dev.cairn.core.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.ArtifactSource;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.ManifestSigner;
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
        42);
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
