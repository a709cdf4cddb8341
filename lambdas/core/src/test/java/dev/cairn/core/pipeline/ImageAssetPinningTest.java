package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.pipeline.port.AssetDestinations;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A container image asset is pinned in the signed manifest by the digest CI pushed ({@code ecrUri}
 * {@code ...:<tag>@sha256:<digest>}), and gate 8 compares what each destination tag names now with
 * that digest: on a real app's assembly ({@code ecs-lambda-stages}, a {@code DockerImageAsset} in
 * two nested stages).
 */
class ImageAssetPinningTest {

  static final Path APP = Path.of("../../examples/real-apps/ecs-lambda-stages/cdk.out");
  static final String ASSET = "80d6dba9930b88d37628ed46ad21eabb240dd34b8e1da4e789a303466d7b1758";
  static final String PROD_REPO = "cdk-hnb659fds-container-assets-222222222222-us-east-1";
  static final String PUSHED = "sha256:" + "1".repeat(64);
  static final String OTHER = "sha256:" + "2".repeat(64);

  /** The prod environment gate 8 is checked for (the same policy as the template check's). */
  static final EnvironmentPolicy PROD = AssetDestinationCheckTest.PROD;

  final LocalDirectoryArtifactSource source = new LocalDirectoryArtifactSource(APP);
  final Map<String, String> registry = new HashMap<>(); // "repository:tag" -> digest

  static String prodImage(String digest) {
    return "222222222222.dkr.ecr.us-east-1.amazonaws.com/" + PROD_REPO + ":" + ASSET + "@" + digest;
  }

  ObjectNode unsigned() throws Exception {
    return ManifestFactory.create(
        source,
        new ManifestFactory.BuildFacts(
            "ecs",
            "0123456789abcdef0123456789abcdef01234567",
            "refs/heads/main",
            true,
            "2.1148.1",
            "a".repeat(64),
            Map.of(),
            "2026-12-06T00:00:00Z",
            1.0));
  }

  ArtifactManifest parsed(ObjectNode unsigned) {
    ObjectNode m = unsigned.deepCopy();
    m.put("signing_identity", "ci");
    m.put("signature", "c2ln");
    var r = ManifestParser.parse(Json.compact(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r).isInstanceOf(ManifestParser.Result.Parsed.class);
    return ((ManifestParser.Result.Parsed) r).manifest();
  }

  List<Failure> imageFailures(ArtifactManifest manifest) throws Exception {
    AssetDestinations destinations =
        new AssetDestinations() {
          @Override
          public Optional<InputStream> openObject(
              EnvironmentPolicy environment, String bucket, String key) {
            return Optional.empty();
          }

          @Override
          public Optional<String> imageDigest(
              EnvironmentPolicy environment, String repository, String tag) {
            return Optional.ofNullable(registry.get(repository + ":" + tag));
          }
        };
    // File assets are not published here: only the image's outcome is looked at.
    return AssetDestinationCheck.check(source, manifest, PROD, destinations).stream()
        .filter(f -> f.detail().contains("image"))
        .toList();
  }

  @Test
  void withImages_recordsThePinnedReference_andTheParserKeepsIt() throws Exception {
    ObjectNode m = ManifestFactory.withImages(unsigned(), source, Map.of(ASSET, prodImage(PUSHED)));

    assertThat(m.at("/assets/" + ASSET + "/ecrUri").asText()).isEqualTo(prodImage(PUSHED));
    assertThat(parsed(m).assets().get(ASSET).ecrUri()).isEqualTo(prodImage(PUSHED));
  }

  @Test
  void check_whenTheTagNamesThePinnedDigest_passes() throws Exception {
    registry.put(PROD_REPO + ":" + ASSET, PUSHED);

    assertThat(
            imageFailures(
                parsed(
                    ManifestFactory.withImages(
                        unsigned(), source, Map.of(ASSET, prodImage(PUSHED))))))
        .isEmpty();
  }

  @Test
  void check_whenTheTagWasPointedAtAnotherImage_failsImageDigestMismatch() throws Exception {
    registry.put(PROD_REPO + ":" + ASSET, OTHER);

    assertThat(
            imageFailures(
                parsed(
                    ManifestFactory.withImages(
                        unsigned(), source, Map.of(ASSET, prodImage(PUSHED))))))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FailureCode.ASSET_IMAGE_DIGEST_MISMATCH);
              assertThat(f.code().gate()).isEqualTo(Gate.ASSET_INTEGRITY);
              assertThat(f.detail()).contains(OTHER, PUSHED);
            });
  }

  @Test
  void check_whenTheTagIsNotInTheRegistry_failsMissingAtDestination() throws Exception {
    assertThat(
            imageFailures(
                parsed(
                    ManifestFactory.withImages(
                        unsigned(), source, Map.of(ASSET, prodImage(PUSHED))))))
        .singleElement()
        .satisfies(f -> assertThat(f.code()).isEqualTo(FailureCode.ASSET_MISSING_AT_DESTINATION));
  }

  @Test
  void check_whenTheManifestPinsNoDigest_failsImageNotPinned() throws Exception {
    registry.put(PROD_REPO + ":" + ASSET, PUSHED);

    assertThat(imageFailures(parsed(unsigned())))
        .singleElement()
        .satisfies(f -> assertThat(f.code()).isEqualTo(FailureCode.ASSET_IMAGE_NOT_PINNED));
  }

  @Test
  void withImages_refusesAnUnpinnedReference_anotherRepository_andAMissingImage() throws Exception {
    ObjectNode unsigned = unsigned();
    String unpinned = prodImage(PUSHED).substring(0, prodImage(PUSHED).indexOf('@'));
    assertThatThrownBy(() -> ManifestFactory.withImages(unsigned, source, Map.of(ASSET, unpinned)))
        .isInstanceOf(ManifestFactory.UnpublishableArtifactException.class)
        .hasMessageContaining("@sha256:<digest>");
    assertThatThrownBy(
            () ->
                ManifestFactory.withImages(
                    unsigned,
                    source,
                    Map.of(ASSET, prodImage(PUSHED).replace(PROD_REPO, "attacker-repo"))))
        .isInstanceOf(ManifestFactory.UnpublishableArtifactException.class)
        .hasMessageContaining("none of its destinations");
    assertThatThrownBy(() -> ManifestFactory.withImages(unsigned, source, Map.of()))
        .isInstanceOf(ManifestFactory.UnpublishableArtifactException.class)
        .hasMessageContaining("no pinned image");
  }

  @Test
  void parser_refusesAnEcrUriThatIsNoImageReference() throws Exception {
    ObjectNode m = unsigned();
    ((ObjectNode) m.at("/assets/" + ASSET)).put("ecrUri", prodImage("sha256:nothex"));
    m.put("signing_identity", "ci");
    m.put("signature", "c2ln");

    var r = ManifestParser.parse(Json.compact(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(r)
        .isInstanceOfSatisfying(
            ManifestParser.Result.Invalid.class,
            i -> assertThat(i.failure().code()).isEqualTo(FailureCode.MANIFEST_FIELD_FORMAT));
  }
}
