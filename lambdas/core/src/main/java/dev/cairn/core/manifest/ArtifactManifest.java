package dev.cairn.core.manifest;

import dev.cairn.core.context.ContextBlessReference;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A parsed, structurally valid {@code artifact-manifest.json} (schema {@code
 * schema/artifact-manifest.v1.json}). Field names follow the spec's "Manifest Requirements".
 *
 * <p>{@code commitTime} is the optional signed {@code commit_time} (null in older manifests).
 * {@code cdkContextBless} is the signed {@code cdk_context_bless}: which blessed context object, at
 * which S3 version, the artifact was built with (null in manifests written before it; the pipeline
 * then refuses them at gate 6).
 *
 * <p>Structural validity says nothing about trust: only {@code ArtifactVerifier} decides that.
 */
public record ArtifactManifest(
    String schemaVersion,
    String service,
    String commit,
    String sourceRef,
    boolean gitSignatureVerified,
    String artifactSha256,
    String cdkCliVersion,
    String cdkContextHash,
    SortedMap<String, String> fileHashes,
    SortedMap<String, AssetDeclaration> assets,
    Map<String, String> cdkLibraryVersions,
    String buildTime,
    double buildDurationSeconds,
    String signingIdentity,
    String signature,
    GitSignature gitSignature,
    String commitTime,
    ContextBlessReference cdkContextBless) {

  /** The only schema version this build reads. */
  public static final String SCHEMA_VERSION = "1";

  public ArtifactManifest {
    fileHashes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fileHashes));
    assets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(assets));
    cdkLibraryVersions = Map.copyOf(cdkLibraryVersions);
  }

  /**
   * How the commit's signature was established ({@code git_signature}); null in manifests written
   * before the field existed, which count as asserted.
   *
   * @param method {@code openpgp} or {@code ssh} (verified by {@code cairn manifest create}), or
   *     {@code asserted} (CI said so)
   */
  public record GitSignature(String method, String signer, String principal, String requiredRef) {
    public static final String ASSERTED = "asserted";

    /** True when CI verified the signature itself rather than being told. */
    public boolean verified() {
      return !ASSERTED.equals(method);
    }
  }

  /** One entry of {@code assets}: the content hash and where CI published the asset. */
  public record AssetDeclaration(String hash, String s3Uri, String ecrUri) {}
}
