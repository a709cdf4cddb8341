package dev.cairn.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cairn.core.integrity.port.ArtifactSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.TreeMap;

/**
 * An asset manifest ({@code *.assets.json}) from the artifact is read after the files verified, but
 * its content is still the publisher's: reading it yields assets or {@link
 * CloudAssemblyAssets.InvalidAssetManifestException}, never another exception, and a computed
 * content hash is always a SHA-256.
 */
class CloudAssemblyAssetsFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void readAssetManifest(byte[] assetManifest) throws Exception {
    TreeMap<String, String> files = new TreeMap<>();
    files.put("a.assets.json", "0".repeat(64));
    files.put("asset.1/index.js", "1".repeat(64));
    files.put("asset.1/lib/x.js", "2".repeat(64));
    files.put("t.template.json", "3".repeat(64));
    ArtifactSource source =
        new ArtifactSource() {
          @Override
          public List<Entry> list() {
            return List.of();
          }

          @Override
          public InputStream open(String path) {
            return new ByteArrayInputStream(assetManifest);
          }

          @Override
          public String describe() {
            return "fuzz";
          }
        };
    try {
      for (CloudAssemblyAssets.Asset a : CloudAssemblyAssets.read(source, files)) {
        if (a.contentHash() != null) {
          assertThat(a.contentHash()).hasSize(64);
        }
        for (String d : a.destinations()) {
          CloudAssemblyAssets.matchesDestination("bucket/key", d);
        }
      }
    } catch (CloudAssemblyAssets.InvalidAssetManifestException expected) {
      assertThat(expected.path()).isEqualTo("a.assets.json");
    }
  }
}
