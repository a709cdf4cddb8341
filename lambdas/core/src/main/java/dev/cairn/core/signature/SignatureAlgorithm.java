package dev.cairn.core.signature;

/**
 * Signature algorithms Cairn accepts. Names match the KMS {@code SigningAlgorithmSpec} values where
 * KMS has one.
 */
public enum SignatureAlgorithm {
  /** ECDSA on NIST P-256 with SHA-256, DER-encoded (KMS {@code ECDSA_SHA_256}). */
  ECDSA_SHA_256,
  /** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (KMS {@code RSASSA_PSS_SHA_256}). */
  RSASSA_PSS_SHA_256,
  /** An OpenPGP detached signature (binary packet, base64 in documents). */
  OPENPGP
}
