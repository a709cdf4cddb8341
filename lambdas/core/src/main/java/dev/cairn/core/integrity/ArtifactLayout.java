package dev.cairn.core.integrity;

import java.util.Set;

/**
 * Names with a fixed meaning at the root of an artifact prefix ({@code
 * s3://<bucket>/{service}/{commit_sha}/}): the signed manifest sits beside the cdk.out files, and
 * Cairn's evidence (verification reports) lives in its own folder. Neither is part of the hashed
 * artifact, and a cdk.out that contains them is refused.
 */
public final class ArtifactLayout {

  /** The signed manifest's file name, beside the artifact files. */
  public static final String MANIFEST_FILE = "artifact-manifest.json";

  /** Folder for Cairn's evidence (verification reports), beside the artifact files. */
  public static final String EVIDENCE_DIR = "cairn-evidence";

  /** Root names that are not artifact content. */
  public static final Set<String> RESERVED_ROOT_NAMES = Set.of(MANIFEST_FILE, EVIDENCE_DIR);

  private ArtifactLayout() {}

  /** True when {@code path} is the manifest or lies under the evidence folder. */
  public static boolean isReserved(String path) {
    return path.equals(MANIFEST_FILE) || path.startsWith(EVIDENCE_DIR + "/");
  }

  /**
   * The service and commit a manifest key names ({@code
   * {service}/{commit_sha}/artifact-manifest.json}), or empty for any other key. The state
   * machine's {@code ArtifactFromManifestKey} state reads S3 rule input the same way.
   */
  public static java.util.Optional<String[]> serviceAndCommit(String manifestKey) {
    if (manifestKey == null) {
      return java.util.Optional.empty();
    }
    String[] parts = manifestKey.split("/", -1);
    if (parts.length != 3
        || !parts[2].equals(MANIFEST_FILE)
        || parts[0].isEmpty()
        || parts[1].isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new String[] {parts[0], parts[1]});
  }

  /** The S3 key prefix of an artifact: {@code {service}/{commit_sha}/}. */
  public static String prefix(String service, String commitSha) {
    return service + "/" + commitSha + "/";
  }
}
