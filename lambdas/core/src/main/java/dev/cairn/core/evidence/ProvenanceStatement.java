package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;

/**
 * A release evidence record as an in-toto Statement v1 whose predicate is SLSA Provenance v1, so
 * supply-chain tools (cosign, slsa-verifier, policy engines) can read it.
 *
 * <p>The subject is the cdk.out directory, named {@code cdk.out}, with the digest {@code sha256} =
 * {@code artifact_sha256}: the SHA-256 of the canonical file list, the lines {@code "<sha256hex>
 * <path>\n"} (two spaces) of every file of cdk.out, sorted by the path's UTF-8 bytes. That list is
 * exactly what {@code sha256sum} prints for the files sorted with {@code LC_ALL=C}, so any tool can
 * rebuild the subject as a blob. The manifest is a second subject, by the SHA-256 of its bytes.
 */
public final class ProvenanceStatement {

  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";

  /** The build type URI: what {@code externalParameters} mean. */
  public static final String BUILD_TYPE = "https://cairn.dev/release-evidence/v1";

  /** The builder: the CI signer that signed the manifest, as the control plane verified it. */
  public static final String BUILDER_PREFIX = "https://cairn.dev/builder/";

  private ProvenanceStatement() {}

  /**
   * The statement for {@code record}.
   *
   * @param recordKey where the record is stored (a resolved dependency, by its SHA-256)
   * @param recordSha256 SHA-256 of the stored record bytes
   * @throws IllegalArgumentException when the record names no verified artifact (nothing to be the
   *     subject of)
   */
  public static ObjectNode of(JsonNode record, String recordKey, String recordSha256) {
    JsonNode artifact = record.path("artifact");
    if (!artifact.isObject()) {
      throw new IllegalArgumentException(
          "the record names no verified artifact (outcome "
              + record.path("outcome").asText()
              + "); there is no subject to attest");
    }
    ObjectNode s = Json.object();
    s.put("_type", STATEMENT_TYPE);
    ArrayNode subject = s.putArray("subject");
    subject
        .addObject()
        .put("name", "cdk.out")
        .putObject("digest")
        .put("sha256", artifact.path("artifact_sha256").asText());
    subject
        .addObject()
        .put("name", "artifact-manifest.json")
        .putObject("digest")
        .put("sha256", artifact.path("manifest_sha256").asText());
    s.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = s.putObject("predicate");
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", BUILD_TYPE);
    ObjectNode external = definition.putObject("externalParameters");
    external.put("service", record.path("service").asText());
    external.put("commit_sha", record.path("commit_sha").asText());
    external.set("source_ref", record.path("commit").path("source_ref"));
    external.put("environment", record.path("environment").asText());
    ObjectNode internal = definition.putObject("internalParameters");
    internal.set("cdk_cli_version", record.path("build").path("cdk_cli_version"));
    internal.set("cdk_library_versions", record.path("build").path("cdk_library_versions"));
    internal.set("cdk_context_hash", record.path("build").path("context").path("hash"));
    ArrayNode deps = definition.putArray("resolvedDependencies");
    deps.addObject()
        .put("uri", "git+commit:" + record.path("commit_sha").asText())
        .putObject("digest")
        .put("gitCommit", record.path("commit_sha").asText());
    deps.addObject()
        .put("uri", recordKey)
        .put("mediaType", "application/vnd.cairn.release-evidence.v1+json")
        .putObject("digest")
        .put("sha256", recordSha256);
    ObjectNode details = predicate.putObject("runDetails");
    details
        .putObject("builder")
        .put("id", BUILDER_PREFIX + artifact.path("signing_identity").asText());
    ObjectNode metadata = details.putObject("metadata");
    metadata.put("invocationId", record.path("execution_id").asText());
    JsonNode buildTime = record.path("build").path("build_time");
    if (buildTime.isTextual()) {
      metadata.put("startedOn", buildTime.asText());
    }
    metadata.put("finishedOn", record.path("recorded_at").asText());
    return s;
  }
}
