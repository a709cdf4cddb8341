package dev.cairn.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code file_hashes} is read into the same sorted map whatever order the manifest lists its paths
 * in: sorted (as Cairn writes it, built in one pass) or not (built entry by entry).
 */
class ManifestFileHashesOrderTest {

  @TempDir Path tmp;

  @Test
  void sortedAndReversedListings_giveTheSameFileHashes() throws Exception {
    ArtifactFixture fx = ArtifactFixture.example(tmp);
    ObjectNode sorted = fx.signed();
    ObjectNode reversed = sorted.deepCopy();
    ObjectNode files = (ObjectNode) reversed.get("file_hashes");
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(files.properties());
    assertThat(entries).hasSizeGreaterThan(2);
    Collections.reverse(entries);
    files.removeAll();
    entries.forEach(e -> files.set(e.getKey(), e.getValue()));

    var fromSorted = (ManifestParser.Result.Parsed) parse(sorted);
    var fromReversed = (ManifestParser.Result.Parsed) parse(reversed);

    assertThat(new ArrayList<>(fromReversed.manifest().fileHashes().entrySet()))
        .isEqualTo(new ArrayList<>(fromSorted.manifest().fileHashes().entrySet()));
    assertThat(new ArrayList<>(fromSorted.manifest().fileHashes().keySet())).isSorted();
    assertThat(fromSorted.manifest().fileHashes().get(entries.get(0).getKey()))
        .isEqualTo(entries.get(0).getValue().textValue());
  }

  private static ManifestParser.Result parse(ObjectNode manifest) {
    return ManifestParser.parse(Json.pretty(manifest).getBytes(StandardCharsets.UTF_8));
  }
}
