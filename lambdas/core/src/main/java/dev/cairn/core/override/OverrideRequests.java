package dev.cairn.core.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.port.ManifestSigner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes, signs and strictly reads override request documents. */
public final class OverrideRequests {

  /** The longest an override request may live (spec: time-bound, at most 15 minutes). */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(15);

  static final Set<String> FIELDS =
      Set.of(
          "schema_version",
          "action",
          "service",
          "commit_sha",
          "environment",
          "installation_id",
          "reason",
          "requester",
          "requested_at",
          "expires_at",
          "nonce",
          "signing_identity",
          "signature",
          "artifact_sha256",
          "approval_expires_at");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** An installation id: {@code <tools account>:<region>} by default, or a configured name. */
  public static final Pattern INSTALLATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,127}");

  /**
   * The longest an approval counts toward a threshold after it was signed. The request itself must
   * still be submitted within {@link #MAX_LIFETIME}; the approval then waits for the deploy.
   */
  public static final Duration MAX_APPROVAL_LIFETIME = Duration.ofDays(7);

  private OverrideRequests() {}

  /** An unsigned request document. {@code environment} may be null for service-wide actions. */
  public static ObjectNode create(
      OverrideAction action,
      String service,
      String commitSha,
      String environment,
      String installationId,
      String reason,
      String requester,
      Instant requestedAt,
      Duration lifetime,
      String nonce) {
    if (lifetime.compareTo(MAX_LIFETIME) > 0 || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException(
          "an override request lives between 1 second and 15 minutes");
    }
    ObjectNode o = Json.object();
    o.put("schema_version", "1");
    o.put("action", action.wireName());
    o.put("service", service);
    o.put("commit_sha", commitSha);
    if (environment != null) {
      o.put("environment", environment);
    }
    o.put("installation_id", installationId);
    o.put("reason", reason);
    o.put("requester", requester);
    o.put("requested_at", requestedAt.toString());
    o.put("expires_at", requestedAt.plus(lifetime).toString());
    o.put("nonce", nonce);
    return o;
  }

  /**
   * Binds an unsigned {@code approve} request to what it approves: the artifact digest, this
   * installation, and until when the approval counts.
   */
  public static ObjectNode bindApproval(
      ObjectNode request, String artifactSha256, String installationId, Instant approvalExpiresAt) {
    ObjectNode o = request.deepCopy();
    o.put("artifact_sha256", artifactSha256);
    o.put("installation_id", installationId);
    o.put("approval_expires_at", approvalExpiresAt.toString());
    return o;
  }

  /**
   * Signs in place semantics: returns a copy with {@code signing_identity} and {@code signature}.
   */
  public static ObjectNode sign(ObjectNode request, ManifestSigner signer) {
    ObjectNode o = request.deepCopy();
    o.remove("signature");
    o.put("signing_identity", signer.signingIdentity());
    o.put(
        "signature",
        Base64.getEncoder().encodeToString(signer.sign(CanonicalJson.canonicalize(o))));
    return o;
  }

  /** The bytes a request's signature covers. */
  static byte[] signedBytes(ObjectNode request) {
    return CanonicalJson.canonicalizeWithout(request, "signature");
  }

  /** Parses strictly; every structural problem is {@link OverrideFailure#OVERRIDE_MALFORMED}. */
  public static Parsed parse(byte[] bytes) throws OverrideRefusedException {
    if (bytes.length > 64 * 1024) {
      throw malformed("the request is larger than 64 KiB");
    }
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (IOException e) {
      throw malformed("not valid JSON: " + e.getMessage());
    }
    if (!(root instanceof ObjectNode o)) {
      throw malformed("not a JSON object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw malformed("unknown field \"" + f + "\"");
      }
    }
    if (!"1".equals(o.path("schema_version").asText(null))) {
      throw malformed("schema_version must be \"1\"");
    }
    OverrideAction action = OverrideAction.fromWire(o.path("action").asText(""));
    if (action == null) {
      throw malformed("action must be one of promote, rollback, requeue, approve, break_glass");
    }
    String service = required(o, "service", NAME);
    String commit = required(o, "commit_sha", COMMIT);
    String environment = o.has("environment") ? required(o, "environment", NAME) : null;
    if (environment == null && action != OverrideAction.REQUEUE) {
      throw malformed("action " + action.wireName() + " needs an environment");
    }
    String installation = required(o, "installation_id", INSTALLATION);
    String reason = text(o, "reason");
    if (reason.isBlank() || reason.length() > 2000) {
      throw malformed("reason must be 1 to 2000 characters");
    }
    String requester = text(o, "requester");
    Instant requestedAt = instant(o, "requested_at");
    Instant expiresAt = instant(o, "expires_at");
    String nonce = required(o, "nonce", NONCE);
    String identity = text(o, "signing_identity");
    String signature = text(o, "signature");
    ApprovalBinding approval = null;
    if (action == OverrideAction.APPROVE) {
      // An approval that does not say what it approves could be counted for anything.
      approval =
          new ApprovalBinding(
              required(o, "artifact_sha256", SHA256),
              required(o, "installation_id", INSTALLATION),
              instant(o, "approval_expires_at"));
    } else if (o.has("artifact_sha256") || o.has("approval_expires_at")) {
      throw malformed("artifact_sha256 and approval_expires_at belong to approve requests only");
    }
    return new Parsed(
        new OverrideRequest(
            action,
            service,
            commit,
            environment,
            installation,
            reason,
            requester,
            requestedAt,
            expiresAt,
            nonce,
            identity,
            signature),
        o,
        approval);
  }

  /**
   * A parsed request and the exact object it came from (for signature checking); {@code approval}
   * is the binding of an {@code approve} request, null for other actions.
   */
  public record Parsed(OverrideRequest request, ObjectNode json, ApprovalBinding approval) {}

  private static String text(ObjectNode o, String field) throws OverrideRefusedException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw malformed("\"" + field + "\" must be a string");
    }
    return n.textValue();
  }

  private static String required(ObjectNode o, String field, Pattern p)
      throws OverrideRefusedException {
    String v = text(o, field);
    if (!p.matcher(v).matches()) {
      throw malformed("\"" + field + "\" has an invalid format");
    }
    return v;
  }

  private static Instant instant(ObjectNode o, String field) throws OverrideRefusedException {
    try {
      return Instant.parse(text(o, field));
    } catch (DateTimeParseException e) {
      throw malformed("\"" + field + "\" is not an ISO 8601 UTC instant");
    }
  }

  private static OverrideRefusedException malformed(String detail) {
    return new OverrideRefusedException(OverrideFailure.OVERRIDE_MALFORMED, detail);
  }
}
