package dev.cairn.core.override;

import java.time.Instant;

/**
 * What a signed {@code approve} request is bound to, besides its service, commit and environment:
 * the artifact digest ({@code artifact_sha256}), the installation ({@code installation_id}) and
 * until when it counts ({@code approval_expires_at}). All three are covered by the signature.
 */
public record ApprovalBinding(String artifactSha256, String installationId, Instant expiresAt) {}
