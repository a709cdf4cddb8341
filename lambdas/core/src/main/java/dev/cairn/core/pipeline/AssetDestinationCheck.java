package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.CloudAssemblyAssets;
import dev.cairn.core.pipeline.port.AssetDestinations;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks an accepted artifact's assets where CloudFormation will fetch them: the destinations the
 * cloud assembly names for the target environment's account and region. A file asset's object must
 * hash to the artifact's file; a zip asset's entries must hash (directory hash) to the artifact's
 * directory; a container image must be pinned by digest in the manifest and have that digest in the
 * registry. One {@code ecrUri}/{@code s3Uri} per asset cannot describe several accounts, so the
 * assembly's own per-environment destinations are the reference.
 */
public final class AssetDestinationCheck {

  /** Zip bombs: at most this many entries and bytes are hashed. */
  static final int MAX_ZIP_ENTRIES = 100_000;

  static final long MAX_ZIP_BYTES = 4L * 1024 * 1024 * 1024;

  private AssetDestinationCheck() {}

  public static List<Failure> check(
      ArtifactSource source,
      ArtifactManifest manifest,
      EnvironmentPolicy env,
      AssetDestinations destinations)
      throws IOException {
    List<Failure> failures = new ArrayList<>();
    String prefix = env.account() + "-" + env.region();
    for (String path : manifest.fileHashes().keySet()) {
      if (!path.endsWith(".assets.json")) {
        continue;
      }
      JsonNode root;
      try (InputStream in = source.open(path)) {
        root = Json.parse(in.readNBytes(CloudAssemblyAssets.MAX_ASSET_MANIFEST_BYTES));
      }
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> asset = it.next();
        // Relative to the asset manifest: a stage's asset names the root's ../asset.<hash>.
        String relative = asset.getValue().at("/source/path").asText();
        var unsafe = ArtifactPath.violation(dir, relative);
        if (unsafe.isPresent()) {
          failures.add(
              Failure.at(
                  FailureCode.ASSET_MANIFEST_INVALID,
                  path,
                  "asset "
                      + asset.getKey()
                      + " has an unsafe source path \""
                      + relative
                      + "\": it "
                      + unsafe.get()));
          continue;
        }
        String sourcePath = ArtifactPath.resolve(dir, relative);
        String expected = CloudAssemblyAssets.contentHash(sourcePath, manifest.fileHashes());
        boolean zip = "zip".equals(asset.getValue().at("/source/packaging").asText("file"));
        for (Iterator<Map.Entry<String, JsonNode>> d =
                asset.getValue().path("destinations").fields();
            d.hasNext(); ) {
          Map.Entry<String, JsonNode> dest = d.next();
          if (!dest.getKey().startsWith(prefix)) {
            continue;
          }
          String bucket = resolve(dest.getValue().path("bucketName").asText(), env);
          String key = resolve(dest.getValue().path("objectKey").asText(), env);
          String where = "s3://" + bucket + "/" + key;
          Optional<InputStream> object = destinations.openObject(env, bucket, key);
          if (object.isEmpty()) {
            failures.add(
                Failure.at(
                    FailureCode.ASSET_MISSING_AT_DESTINATION,
                    sourcePath,
                    "asset " + asset.getKey() + " is not at " + where));
            continue;
          }
          String actual;
          try (InputStream in = object.get()) {
            actual =
                zip && !manifest.fileHashes().containsKey(sourcePath)
                    ? zipDirectoryHash(in, where)
                    : Sha256.hash(in).hex();
          } catch (IllegalArgumentException e) {
            failures.add(
                Failure.at(
                    FailureCode.ASSET_DESTINATION_HASH_MISMATCH,
                    sourcePath,
                    where + ": " + e.getMessage()));
            continue;
          }
          if (!actual.equals(expected)) {
            failures.add(
                Failure.at(
                    FailureCode.ASSET_DESTINATION_HASH_MISMATCH,
                    sourcePath,
                    "asset "
                        + asset.getKey()
                        + " at "
                        + where
                        + " hashes to "
                        + actual
                        + "; the signed artifact's is "
                        + expected));
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("dockerImages").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> image = it.next();
        ArtifactManifest.AssetDeclaration declared = manifest.assets().get(image.getKey());
        String pinned =
            declared == null || declared.ecrUri() == null
                ? null
                : dev.cairn.core.manifest.ImageReference.parse(declared.ecrUri())
                    .map(dev.cairn.core.manifest.ImageReference::digest)
                    .orElse(null);
        for (Iterator<Map.Entry<String, JsonNode>> d =
                image.getValue().path("destinations").fields();
            d.hasNext(); ) {
          Map.Entry<String, JsonNode> dest = d.next();
          if (!dest.getKey().startsWith(prefix)) {
            continue;
          }
          String repo = resolve(dest.getValue().path("repositoryName").asText(), env);
          String tag = resolve(dest.getValue().path("imageTag").asText(), env);
          if (pinned == null) {
            failures.add(
                Failure.of(
                    FailureCode.ASSET_IMAGE_NOT_PINNED,
                    "image asset "
                        + image.getKey()
                        + " has no ecrUri with @sha256: in the manifest"));
            continue;
          }
          Optional<String> digest = destinations.imageDigest(env, repo, tag);
          if (digest.isEmpty()) {
            failures.add(
                Failure.of(
                    FailureCode.ASSET_MISSING_AT_DESTINATION,
                    "image " + repo + ":" + tag + " is not in the registry"));
          } else if (!digest.get().equals(pinned)) {
            failures.add(
                Failure.of(
                    FailureCode.ASSET_IMAGE_DIGEST_MISMATCH,
                    "image "
                        + repo
                        + ":"
                        + tag
                        + " is "
                        + digest.get()
                        + "; the manifest pins "
                        + pinned));
          }
        }
      }
    }
    return failures;
  }

  /** The directory hash of a zip's regular entries (the same construction as the artifact's). */
  static String zipDirectoryHash(InputStream zipBytes, String where) throws IOException {
    TreeMap<String, String> entries = new TreeMap<>();
    long total = 0;
    try (ZipInputStream zip = new ZipInputStream(zipBytes)) {
      ZipEntry e;
      byte[] buffer = new byte[Sha256.BUFFER_SIZE];
      while ((e = zip.getNextEntry()) != null) {
        if (e.isDirectory()) {
          continue;
        }
        var why = ArtifactPath.violation(e.getName());
        if (why.isPresent()) {
          throw new IllegalArgumentException("zip entry \"" + e.getName() + "\" " + why.get());
        }
        if (entries.size() >= MAX_ZIP_ENTRIES) {
          throw new IllegalArgumentException(
              "the zip has more than " + MAX_ZIP_ENTRIES + " entries");
        }
        Sha256.Digest d = Sha256.hash(zip, buffer);
        total += d.size();
        if (total > MAX_ZIP_BYTES) {
          throw new IllegalArgumentException("the zip expands beyond " + MAX_ZIP_BYTES + " bytes");
        }
        if (entries.put(e.getName(), d.hex()) != null) {
          throw new IllegalArgumentException("the zip repeats entry " + e.getName());
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(where + " is not a zip with files");
    }
    return DirectoryHash.compute(entries);
  }

  private static String resolve(String s, EnvironmentPolicy env) {
    return s.replace("${AWS::AccountId}", env.account())
        .replace("${AWS::Region}", env.region())
        .replace("${AWS::Partition}", env.deployRoleArn().split(":")[1]);
  }
}
