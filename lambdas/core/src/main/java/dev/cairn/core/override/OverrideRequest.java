package dev.cairn.core.override;

import java.time.Instant;

/**
 * A signed operator request (schema {@code schema/override-request.v1.json}). Signed exactly like a
 * manifest: the RFC 8785 canonical form without {@code signature}.
 *
 * @param installationId the audience: the one Cairn installation the request is valid for (its
 *     control-plane config's {@code installation_id}), so a request signed for one installation is
 *     worthless against another that trusts the same operator key
 */
public record OverrideRequest(
    OverrideAction action,
    String service,
    String commitSha,
    String environment,
    String installationId,
    String reason,
    String requester,
    Instant requestedAt,
    Instant expiresAt,
    String nonce,
    String signingIdentity,
    String signature) {}
