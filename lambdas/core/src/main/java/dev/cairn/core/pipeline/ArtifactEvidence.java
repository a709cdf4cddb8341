package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one execution's {@code VerifyManifest} verified, carried by the execution itself ({@code
 * $.verification.evidence}): the bucket it read, the SHA-256 of the manifest bytes whose signature
 * it checked, the {@code artifact_sha256} it recomputed from the files, and the S3 {@code
 * VersionId} of the manifest and of every artifact file it hashed.
 *
 * <p>Every later step (deploy, promote) reads exactly these versions and compares with these
 * digests. It never takes a digest from the ledger, which another principal may be able to write,
 * and never reads "the latest object" under a key, which a writer to the bucket could replace
 * between verification and use.
 *
 * @param objectVersions artifact path (relative, {@code /}) to the VersionId read; empty when the
 *     bucket is not versioned, in which case a reader re-hashes and compares instead of pinning
 */
public record ArtifactEvidence(
    String bucket,
    String manifestSha256,
    String artifactSha256,
    String manifestVersionId,
    Map<String, String> objectVersions) {

  public ArtifactEvidence {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("evidence has no bucket");
    }
    if (!Sha256.isHex64(manifestSha256)) {
      throw new IllegalArgumentException("evidence manifest_sha256 is not 64 hex digits");
    }
    if (!Sha256.isHex64(artifactSha256)) {
      throw new IllegalArgumentException("evidence artifact_sha256 is not 64 hex digits");
    }
    objectVersions = Map.copyOf(objectVersions);
    for (var e : objectVersions.entrySet()) {
      if (ArtifactPath.violation(e.getKey()).isPresent() || ArtifactLayout.isReserved(e.getKey())) {
        throw new IllegalArgumentException("evidence names an invalid path: " + e.getKey());
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException("evidence has no version for " + e.getKey());
      }
    }
    if (!objectVersions.isEmpty() && (manifestVersionId == null || manifestVersionId.isBlank())) {
      throw new IllegalArgumentException("evidence pins the files but not the manifest");
    }
  }

  /** True when the bucket was versioned: readers open these exact versions. */
  public boolean pinned() {
    return manifestVersionId != null;
  }

  /** The execution's JSON form, as {@code VerifyManifest} returns it. */
  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("bucket", bucket);
    out.put("manifest_sha256", manifestSha256);
    out.put("artifact_sha256", artifactSha256);
    if (manifestVersionId == null) {
      out.putNull("manifest_version_id");
    } else {
      out.put("manifest_version_id", manifestVersionId);
    }
    ObjectNode versions = out.putObject("object_versions");
    new TreeMap<>(objectVersions).forEach(versions::put);
    return out;
  }

  /**
   * Reads the execution's evidence from a payload field.
   *
   * @throws EvidenceRefused with {@link EvidenceFailure#EVIDENCE_MISSING} when absent or malformed
   */
  public static ArtifactEvidence from(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new EvidenceRefused(
          EvidenceFailure.EVIDENCE_MISSING, "the execution carries no verified evidence");
    }
    try {
      Map<String, String> versions = new TreeMap<>();
      JsonNode v = node.path("object_versions");
      if (!v.isObject()) {
        throw new IllegalArgumentException("object_versions is not an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException("the version of " + e.getKey() + " is not text");
        }
        versions.put(e.getKey(), e.getValue().asText());
      }
      JsonNode manifestVersion = node.path("manifest_version_id");
      return new ArtifactEvidence(
          node.path("bucket").asText(null),
          node.path("manifest_sha256").asText(null),
          node.path("artifact_sha256").asText(null),
          manifestVersion.isTextual() ? manifestVersion.asText() : null,
          versions);
    } catch (IllegalArgumentException e) {
      throw new EvidenceRefused(
          EvidenceFailure.EVIDENCE_MISSING,
          "the execution's evidence is malformed: " + e.getMessage());
    }
  }
}
