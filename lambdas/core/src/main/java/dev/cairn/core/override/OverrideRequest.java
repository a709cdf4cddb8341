package dev.cairn.core.override;

import java.time.Instant;

/**
 * A signed operator request (schema {@code schema/override-request.v1.json}). Signed exactly like a
 * manifest: the RFC 8785 canonical form without {@code signature}.
 */
public record OverrideRequest(
    OverrideAction action,
    String service,
    String commitSha,
    String environment,
    String reason,
    String requester,
    Instant requestedAt,
    Instant expiresAt,
    String nonce,
    String signingIdentity,
    String signature) {}
