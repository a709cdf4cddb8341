package dev.cairn.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the cloud assembly's asset manifests ({@code *.assets.json}) and computes each asset's
 * content hash from already-verified file hashes: a file asset hashes to its file's SHA-256, a
 * directory asset to the directory hash of the files beneath it. Nothing is read twice.
 *
 * <p>A source path is relative to the directory of the asset manifest that names it, and may climb
 * out of a nested assembly ({@code assembly-Prod/Stack.assets.json} names the root's {@code
 * ../asset.<hash>}) but never out of the artifact ({@link ArtifactPath#violation(String, String)}).
 */
public final class CloudAssemblyAssets {

  /** Largest asset manifest read. */
  public static final int MAX_ASSET_MANIFEST_BYTES = 8 * 1024 * 1024;

  private CloudAssemblyAssets() {}

  /** An asset kind, as the asset manifest sections name them. */
  public enum Kind {
    FILE,
    DOCKER_IMAGE
  }

  /**
   * One asset of the assembly.
   *
   * @param sourcePath the source's artifact path (resolved from the asset manifest's directory), or
   *     null if none (an asset built by an executable)
   * @param contentHash the computed hash, or null when the source is not in the artifact
   * @param destinations each destination's {@code bucketName/objectKey} or {@code
   *     repositoryName:imageTag}, possibly with {@code ${...}} placeholders
   */
  public record Asset(
      String id,
      Kind kind,
      String assetManifest,
      String sourcePath,
      String contentHash,
      List<String> destinations) {
    public Asset {
      destinations = List.copyOf(destinations);
    }
  }

  /** An asset manifest that cannot be read; the asset gate reports it. */
  public static final class InvalidAssetManifestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;

    InvalidAssetManifestException(String path, String message) {
      super(message);
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /**
   * Every asset of every {@code *.assets.json} in {@code fileHashes}, by id. An id that appears in
   * several asset manifests is listed once per manifest.
   */
  public static List<Asset> read(ArtifactSource source, SortedMap<String, String> fileHashes)
      throws IOException, InvalidAssetManifestException {
    List<Asset> assets = new ArrayList<>();
    for (String path : fileHashes.keySet()) {
      if (path.endsWith(".assets.json")) {
        assets.addAll(readOne(source, path, fileHashes));
      }
    }
    return assets;
  }

  private static List<Asset> readOne(
      ArtifactSource source, String manifestPath, SortedMap<String, String> fileHashes)
      throws IOException, InvalidAssetManifestException {
    byte[] bytes;
    try (InputStream in = source.open(manifestPath)) {
      bytes = in.readNBytes(MAX_ASSET_MANIFEST_BYTES + 1);
    }
    if (bytes.length > MAX_ASSET_MANIFEST_BYTES) {
      throw new InvalidAssetManifestException(manifestPath, "asset manifest is too large");
    }
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidAssetManifestException(
          manifestPath, "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      // Not an I/O failure: the bytes were read. E.g. a CharConversionException for bytes that
      // look like UTF-32. The content is invalid, so the asset gate reports it.
      throw new InvalidAssetManifestException(manifestPath, "not valid JSON: " + e.getMessage());
    }
    if (!(root instanceof ObjectNode obj)) {
      throw new InvalidAssetManifestException(manifestPath, "not a JSON object");
    }
    String dir =
        manifestPath.contains("/")
            ? manifestPath.substring(0, manifestPath.lastIndexOf('/') + 1)
            : "";
    List<Asset> out = new ArrayList<>();
    section(obj, "files", Kind.FILE, manifestPath, dir, fileHashes, out);
    section(obj, "dockerImages", Kind.DOCKER_IMAGE, manifestPath, dir, fileHashes, out);
    return out;
  }

  private static void section(
      ObjectNode root,
      String name,
      Kind kind,
      String manifestPath,
      String dir,
      SortedMap<String, String> fileHashes,
      List<Asset> out)
      throws InvalidAssetManifestException {
    JsonNode section = root.get(name);
    if (section == null || section.isNull()) {
      return;
    }
    if (!section.isObject()) {
      throw new InvalidAssetManifestException(manifestPath, "\"" + name + "\" is not an object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode src = e.getValue().path("source");
      String rel =
          kind == Kind.FILE ? src.path("path").asText(null) : src.path("directory").asText(null);
      String sourcePath = null;
      String hash = null;
      if (rel != null) {
        var why = ArtifactPath.violation(dir, rel);
        if (why.isPresent()) {
          throw new InvalidAssetManifestException(
              manifestPath,
              "asset "
                  + e.getKey()
                  + " has an unsafe source path \""
                  + rel
                  + "\": it "
                  + why.get());
        }
        sourcePath = ArtifactPath.resolve(dir, rel);
        hash = contentHash(sourcePath, fileHashes);
      }
      List<String> destinations = new ArrayList<>();
      JsonNode dests = e.getValue().path("destinations");
      for (Iterator<JsonNode> d = dests.elements(); d.hasNext(); ) {
        JsonNode dest = d.next();
        destinations.add(
            kind == Kind.FILE
                ? dest.path("bucketName").asText("") + "/" + dest.path("objectKey").asText("")
                : dest.path("repositoryName").asText("") + ":" + dest.path("imageTag").asText(""));
      }
      out.add(new Asset(e.getKey(), kind, manifestPath, sourcePath, hash, destinations));
    }
  }

  /** A file's hash, or the directory hash of everything under {@code path/}, or null. */
  public static String contentHash(String path, SortedMap<String, String> fileHashes) {
    String file = fileHashes.get(path);
    if (file != null) {
      return file;
    }
    String prefix = path + "/";
    // Every key that starts with the prefix: a subMap bounded by prefix + '\uffff' would miss a
    // file whose name begins with U+FFFF, leaving it out of the asset's hash.
    TreeMap<String, String> relative = new TreeMap<>();
    for (Map.Entry<String, String> e : fileHashes.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      relative.put(e.getKey().substring(prefix.length()), e.getValue());
    }
    if (relative.isEmpty()) {
      return null;
    }
    return DirectoryHash.compute(relative);
  }

  /**
   * True when a published location ({@code bucket/key} from an {@code s3://} URI, or {@code
   * repository:tag} from an image URI) matches a destination, where {@code ${...}} placeholders
   * stand for any run of characters other than {@code /} and {@code :}.
   */
  public static boolean matchesDestination(String location, String destination) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < destination.length()) {
      int start = destination.indexOf("${", i);
      if (start < 0) {
        regex.append(Pattern.quote(destination.substring(i)));
        break;
      }
      int end = destination.indexOf('}', start);
      if (end < 0) {
        regex.append(Pattern.quote(destination.substring(i)));
        break;
      }
      regex.append(Pattern.quote(destination.substring(i, start))).append("[^/:]+");
      i = end + 1;
    }
    return Pattern.compile(regex.toString()).matcher(location).matches();
  }
}
