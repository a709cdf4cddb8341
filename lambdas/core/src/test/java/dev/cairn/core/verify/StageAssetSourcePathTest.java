package dev.cairn.core.verify;

import static dev.cairn.core.verify.ArtifactFixture.STAGE_FILE_ASSET_ID;
import static dev.cairn.core.verify.ArtifactFixture.STAGE_IMAGE_ASSET_ID;
import static dev.cairn.core.verify.ArtifactFixture.ZIP_ASSET_DIR;
import static dev.cairn.core.verify.ArtifactFixture.ZIP_ASSET_ID;
import static dev.cairn.core.verify.ArtifactFixture.resign;
import static dev.cairn.core.verify.ArtifactVerifierDefectTest.assertRejected;
import static dev.cairn.core.verify.ArtifactVerifierPositiveControlTest.assertAccepted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.manifest.ManifestFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defect: every app with a {@code cdk.Stage} failed {@code cairn manifest create} with "unsafe
 * source path ../asset.<hash>", because CDK keeps a stage's asset folders in the root {@code
 * cdk.out} and its nested assembly's asset manifest names them {@code ../asset.<hash>}. A source
 * path is resolved from its asset manifest's directory and refused only when it leaves the
 * artifact.
 */
class StageAssetSourcePathTest {

  @TempDir Path tmp;

  private ArtifactFixture stage(String... nesting) {
    ArtifactFixture fx = ArtifactFixture.example(tmp);
    fx.asStage(nesting);
    return fx;
  }

  private static void replaceInFile(ArtifactFixture fx, String path, String from, String to)
      throws IOException {
    String text = Files.readString(fx.file(path));
    assertThat(text).contains(from);
    fx.write(path, text.replace(from, to));
  }

  private static ManifestFactory.UnpublishableArtifactException createRefused(ArtifactFixture fx) {
    try {
      ManifestFactory.create(new LocalDirectoryArtifactSource(fx.cdkOut), ArtifactFixture.facts());
    } catch (ManifestFactory.UnpublishableArtifactException e) {
      return e;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("manifest create accepted the artifact");
  }

  // ------------------------------------------------------------------ accepted

  @Test
  void createSignVerify_whenStageAssetsNameRootFolders_accepts() {
    ArtifactFixture fx = stage("assembly-Prod");
    assertThat(fx.file("assembly-Prod/hello-prod-api.assets.json")).exists();

    ObjectNode m = fx.signed();

    ObjectNode assets = (ObjectNode) m.get("assets");
    assertThat(assets.has(ZIP_ASSET_ID)).as("directory asset ../" + ZIP_ASSET_DIR).isTrue();
    assertThat(assets.has(STAGE_FILE_ASSET_ID)).as("file asset").isTrue();
    assertThat(assets.has(STAGE_IMAGE_ASSET_ID)).as("container image asset").isTrue();
    assertThat(assets.get(STAGE_FILE_ASSET_ID).get("hash").textValue())
        .isEqualTo(m.get("file_hashes").get("asset." + STAGE_FILE_ASSET_ID + ".json").textValue());
    assertAccepted(fx.verify(m));
  }

  @Test
  void createSignVerify_whenStageAssetsAreTheRootStacksAssets_sameHash() {
    // The stage stack (root) and the prod stack (nested, ../) name the same folder: one hash.
    ArtifactFixture flat = ArtifactFixture.example(tmp.resolve("flat"));
    String flatHash = flat.unsigned().get("assets").get(ZIP_ASSET_ID).get("hash").textValue();
    ArtifactFixture fx = stage("assembly-Prod");

    assertThat(fx.unsigned().get("assets").get(ZIP_ASSET_ID).get("hash").textValue())
        .isEqualTo(flatHash);
  }

  @Test
  void createSignVerify_whenNestedStageTwoLevelsDownNamesRootFolders_accepts() throws IOException {
    ArtifactFixture fx = stage("assembly-A", "assembly-A-B");
    assertThat(Files.readString(fx.file("assembly-A/assembly-A-B/hello-prod-api.assets.json")))
        .contains("\"../../" + ZIP_ASSET_DIR + "\"");

    assertAccepted(fx.verify(fx.signed()));
  }

  @Test
  void read_whenStageAssembly_plansTheNestedStacksFromTheirTemplates() throws Exception {
    ArtifactFixture fx = stage("assembly-Prod");

    CloudAssembly assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(fx.cdkOut));

    assertThat(assembly.planFor("222222222222", "us-east-1"))
        .extracting(StackArtifact::templatePath)
        .containsExactly(
            "assembly-Prod/hello-prod-data.template.json",
            "assembly-Prod/hello-prod-api.template.json");
  }

  // ------------------------------------------------------------------ refused

  @Test
  void create_whenStageAssetClimbsBeyondTheRoot_isRefused() throws IOException {
    ArtifactFixture fx = stage("assembly-Prod");
    replaceInFile(
        fx, "assembly-Prod/hello-prod-api.assets.json", "\"../" + ZIP_ASSET_DIR, "\"../../escape");

    assertThat(createRefused(fx).getMessage())
        .contains("assembly-Prod/hello-prod-api.assets.json")
        .contains("unsafe source path \"../../escape\"")
        .contains("leaves the artifact root");
  }

  @Test
  void verify_whenStageAssetClimbsBeyondTheRoot_failsAssetManifestInvalid() throws IOException {
    ArtifactFixture fx = stage("assembly-Prod");
    ObjectNode m = fx.unsigned();
    replaceInFile(
        fx, "assembly-Prod/hello-prod-api.assets.json", "\"../" + ZIP_ASSET_DIR, "\"../../escape");

    VerificationReport r = fx.verify(resign(fx.rehashed(m)));

    assertRejected(r, Gate.ASSET_INTEGRITY, FailureCode.ASSET_MANIFEST_INVALID);
    assertThat(r.firstFailure().path()).isEqualTo("assembly-Prod/hello-prod-api.assets.json");
  }

  @Test
  void verify_whenNestedStageAssetClimbsBeyondTheRoot_failsAssetManifestInvalid()
      throws IOException {
    ArtifactFixture fx = stage("assembly-A", "assembly-A-B");
    ObjectNode m = fx.unsigned();
    replaceInFile(
        fx,
        "assembly-A/assembly-A-B/hello-prod-api.assets.json",
        "\"../../" + ZIP_ASSET_DIR,
        "\"../../../" + ZIP_ASSET_DIR);

    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
    assertThat(createRefused(fx).getMessage()).contains("leaves the artifact root");
  }

  @Test
  void verify_whenStageAssetSourceIsAbsolute_failsAssetManifestInvalid() throws IOException {
    ArtifactFixture fx = stage("assembly-Prod");
    ObjectNode m = fx.unsigned();
    replaceInFile(
        fx,
        "assembly-Prod/hello-prod-api.assets.json",
        "\"../" + ZIP_ASSET_DIR,
        "\"" + fx.file(ZIP_ASSET_DIR).toAbsolutePath());

    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
    assertThat(createRefused(fx).getMessage()).contains("is absolute");
  }

  @Test
  void verify_whenStageAssetClimbsAfterAName_failsAssetManifestInvalid() throws IOException {
    // x/../../asset: by name inside the root, but through x, which could be a symlink.
    ArtifactFixture fx = stage("assembly-Prod");
    ObjectNode m = fx.unsigned();
    replaceInFile(
        fx,
        "assembly-Prod/hello-prod-api.assets.json",
        "\"../" + ZIP_ASSET_DIR,
        "\"hello-prod-api.template.json/../../" + ZIP_ASSET_DIR);

    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
  }

  @Test
  void verify_whenStageAssetFolderIsASymlink_failsFileSymlink() throws IOException {
    ArtifactFixture fx = stage("assembly-Prod");
    ObjectNode m = fx.signed();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.move(fx.file(ZIP_ASSET_DIR), outside.resolve("asset"));
    Files.createSymbolicLink(fx.file(ZIP_ASSET_DIR), outside.resolve("asset"));

    VerificationReport r = fx.verify(m);

    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_SYMLINK);
    assertThat(r.firstFailure().path()).isEqualTo(ZIP_ASSET_DIR);
    assertThat(createRefused(fx).getMessage()).contains(ZIP_ASSET_DIR + " is a symbolic link");
  }

  @Test
  void create_whenStageAssetGoesThroughASymlinkInTheStageFolder_isRefused() throws IOException {
    ArtifactFixture fx = stage("assembly-Prod");
    Files.createSymbolicLink(fx.file("assembly-Prod/linked"), Path.of("..", ZIP_ASSET_DIR));
    replaceInFile(
        fx, "assembly-Prod/hello-prod-api.assets.json", "\"../" + ZIP_ASSET_DIR, "\"linked");

    assertThat(createRefused(fx).getMessage()).contains("assembly-Prod/linked is a symbolic link");
  }

  @Test
  void read_whenStageAssetClimbsBeyondTheRoot_isRefused() throws IOException {
    ArtifactFixture fx = stage("assembly-Prod");
    replaceInFile(
        fx,
        "assembly-Prod/hello-prod-api.assets.json",
        "\"hello-prod-api.template.json\"",
        "\"../../hello-prod-api.template.json\"");

    assertThatThrownBy(() -> CloudAssembly.read(new LocalDirectoryArtifactSource(fx.cdkOut)))
        .hasMessageContaining("unsafe source path");
  }
}
