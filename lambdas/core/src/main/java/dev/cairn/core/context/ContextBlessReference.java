package dev.cairn.core.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which blessed context an artifact was built with: the bless's object key in the contexts bucket
 * ({@code {env}/{date}.context.json}) and its S3 version id. The manifest signs it as {@code
 * cdk_context_bless}; the verifier reads exactly this version, so a later bless of the same
 * environment changes nothing for an artifact already built.
 */
public record ContextBlessReference(String objectKey, String versionId) {

  public static final String OBJECT_KEY = "object_key";
  public static final String VERSION_ID = "version_id";

  /** S3 version ids are opaque printable ASCII (at most 1024 bytes). */
  private static final Pattern VERSION = Pattern.compile("[\\x21-\\x7e]{1,1024}");

  public ContextBlessReference {
    Objects.requireNonNull(objectKey, OBJECT_KEY);
    Objects.requireNonNull(versionId, VERSION_ID);
    if (ContextKeys.ofContextKey(objectKey).isEmpty()) {
      throw new IllegalArgumentException(
          OBJECT_KEY + " must be a context object {env}/{date}.context.json: " + objectKey);
    }
    if (!VERSION.matcher(versionId).matches()) {
      throw new IllegalArgumentException(VERSION_ID + " must be an S3 version id: " + versionId);
    }
  }

  /** The object names of this bless (its hash, signature and revocation beside it). */
  public ContextKeys keys() {
    return ContextKeys.ofContextKey(objectKey).orElseThrow();
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put(OBJECT_KEY, objectKey);
    o.put(VERSION_ID, versionId);
    return o;
  }

  /** Reads {@code {"object_key", "version_id", ...}} (other members, e.g. a hash, are ignored). */
  public static Optional<ContextBlessReference> fromJson(JsonNode node) {
    if (node == null || !node.path(OBJECT_KEY).isTextual() || !node.path(VERSION_ID).isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ContextBlessReference(
              node.get(OBJECT_KEY).textValue(), node.get(VERSION_ID).textValue()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return objectKey + "?versionId=" + versionId;
  }
}
