package dev.cairn.core.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.CanonicalJson;
import java.util.Set;

/** The anchor document ({@code schema/anchor.v1.json}): keys, hashing, classification. */
public final class Anchors {

  /** Prefix of every anchor object. */
  public static final String PREFIX = "audit-log-anchors/";

  /** Width of the zero-padded sequence in keys, so lexical order is sequence order. */
  public static final int SEQUENCE_DIGITS = 20;

  /** Actions summarised as high-privilege (besides any entry whose actor is an operator). */
  static final Set<String> HIGH_PRIVILEGE_PREFIXES = Set.of("Override", "Rollback", "BreakGlass");

  private Anchors() {}

  /** {@code audit-log-anchors/<chain>/<sequence, 20 digits>.json}. */
  public static String key(String chainId, long sequence) {
    return prefix(chainId) + String.format("%0" + SEQUENCE_DIGITS + "d", sequence) + ".json";
  }

  public static String prefix(String chainId) {
    return PREFIX + chainId + "/";
  }

  /** SHA-256 (hex) of the RFC 8785 canonical form without {@code anchor_hash}. */
  public static String anchorHash(ObjectNode anchor) {
    return Sha256.hex(CanonicalJson.canonicalizeWithout(anchor, "anchor_hash"));
  }

  /** Sets {@code anchor_hash}; returns the same object. */
  public static ObjectNode seal(ObjectNode anchor) {
    anchor.remove("anchor_hash");
    anchor.put("anchor_hash", anchorHash(anchor));
    return anchor;
  }

  /** True when {@code anchor_hash} is present and matches the content. */
  public static boolean sealed(JsonNode anchor) {
    return anchor instanceof ObjectNode o
        && o.path("anchor_hash").isTextual()
        && o.path("anchor_hash").asText().equals(anchorHash(o));
  }

  /** Overrides, rollbacks, break-glass, and anything an operator did. */
  public static boolean highPrivilege(JsonNode entry) {
    String action = entry.path("action").asText("");
    if ("operator".equals(entry.path("actor").path("role").asText())) {
      return true;
    }
    for (String p : HIGH_PRIVILEGE_PREFIXES) {
      if (action.startsWith(p) || action.contains(p)) {
        return true;
      }
    }
    return false;
  }
}
