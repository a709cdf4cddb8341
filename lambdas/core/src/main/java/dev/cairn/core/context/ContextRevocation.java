package dev.cairn.core.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A revoked bless: {@code {env}/{date}.context.json.revoked}, written once by the context
 * generator's role and signed with the context-blessing key ({@code .revoked.sig} or {@code
 * .revoked.asc} beside it). The bucket policy lets no other principal write or delete it.
 */
public record ContextRevocation(
    String objectKey, String cdkContextHash, String reason, String revokedAt, String revokedBy) {

  public byte[] toBytes() {
    ObjectNode o = Json.object();
    o.put("object_key", objectKey);
    o.put("cdk_context_hash", cdkContextHash);
    o.put("reason", reason);
    o.put("revoked_at", revokedAt);
    o.put("revoked_by", revokedBy);
    return Json.pretty(o).getBytes(StandardCharsets.UTF_8);
  }

  /** The document, or empty when the bytes are not one (the verifier refuses either way). */
  public static Optional<ContextRevocation> parse(byte[] bytes) {
    try {
      JsonNode n = Json.parse(bytes);
      return Optional.of(
          new ContextRevocation(
              n.path("object_key").asText(""),
              n.path("cdk_context_hash").asText(""),
              n.path("reason").asText(""),
              n.path("revoked_at").asText(""),
              n.path("revoked_by").asText("")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
