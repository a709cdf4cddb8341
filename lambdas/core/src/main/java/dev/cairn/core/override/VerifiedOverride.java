package dev.cairn.core.override;

/** An override request whose signature, signer and time window have been verified. */
public record VerifiedOverride(
    OverrideRequest request, String signerIdentity, String keyFingerprint) {}
