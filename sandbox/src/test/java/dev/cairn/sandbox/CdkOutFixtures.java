package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.BundledFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** User cloud assemblies for {@code sandbox run --cdk-out}, built from the example service. */
final class CdkOutFixtures {

  private CdkOutFixtures() {}

  /** The example service's assembly as the sandbox jar carries it, copied under {@code dir}. */
  static Path example(Path dir) {
    return BundledFiles.copy(BundledFiles.EXAMPLE_CDK_OUT, dir.resolve("example/cdk.out"));
  }

  /**
   * The example's stacks as a CDK Pipelines app lays them out: one nested assembly per stage
   * ({@code assembly-Prod} listed first, each listing the dependent stack before its dependency),
   * the Lambda asset folder kept at the root and named {@code ../asset.<hash>} from the stages'
   * asset manifests.
   */
  static Path nestedStages(Path dir) throws IOException {
    Path flat = example(dir.resolve("flat"));
    Path root = dir.resolve("stages/cdk.out");
    Files.createDirectories(root);
    ObjectNode flatManifest =
        (ObjectNode) Json.parse(Files.readAllBytes(flat.resolve("manifest.json")));
    ObjectNode rootManifest = Json.object();
    rootManifest.put("version", flatManifest.path("version").asText());
    ObjectNode rootArtifacts = rootManifest.putObject("artifacts");
    Files.writeString(root.resolve("cdk.out"), Files.readString(flat.resolve("cdk.out")));
    try (var list = Files.list(flat)) {
      for (Path p : list.filter(p -> p.getFileName().toString().startsWith("asset.")).toList()) {
        DirectoryCopy.copyTree(p, root.resolve(p.getFileName().toString()));
      }
    }
    for (Map.Entry<String, String> stage : Map.of("Prod", "prod", "Stage", "stage").entrySet()) {
      String dirName = "assembly-" + stage.getKey();
      ObjectNode nested = rootArtifacts.putObject(dirName);
      nested.put("type", "cdk:cloud-assembly");
      nested
          .putObject("properties")
          .put("directoryName", dirName)
          .put("displayName", stage.getKey());
      Path stageDir = root.resolve(dirName);
      Files.createDirectories(stageDir);
      ObjectNode manifest = Json.object();
      manifest.put("version", flatManifest.path("version").asText());
      ObjectNode artifacts = manifest.putObject("artifacts");
      String prefix = "hello-" + stage.getValue() + "-";
      for (String id : new String[] {"api.assets", "api", "data.assets", "data"}) {
        JsonNode a = flatManifest.path("artifacts").path(prefix + id);
        artifacts.set(prefix + id, a);
      }
      Files.writeString(stageDir.resolve("manifest.json"), Json.pretty(manifest));
      Files.writeString(stageDir.resolve("cdk.out"), Files.readString(flat.resolve("cdk.out")));
      try (var list = Files.list(flat)) {
        for (Path p :
            list.filter(p -> p.getFileName().toString().startsWith(prefix))
                .filter(Files::isRegularFile)
                .toList()) {
          String name = p.getFileName().toString();
          String text = Files.readString(p);
          if (name.endsWith(".assets.json")) {
            // The stage's asset manifest names the root's asset folder, as CDK writes it.
            text = text.replace("\"path\": \"asset.", "\"path\": \"../asset.");
          }
          Files.writeString(stageDir.resolve(name), text);
        }
      }
    }
    Files.writeString(root.resolve("manifest.json"), Json.pretty(rootManifest));
    return root;
  }

  /** Rewrites one JSON file of {@code cdkOut} in place. */
  static void editJson(Path file, java.util.function.Consumer<ObjectNode> change)
      throws IOException {
    ObjectNode json = (ObjectNode) Json.parse(Files.readAllBytes(file));
    change.accept(json);
    Files.writeString(file, Json.pretty(json));
  }
}
