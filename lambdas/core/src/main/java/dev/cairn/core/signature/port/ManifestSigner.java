package dev.cairn.core.signature.port;

import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.SignatureAlgorithm;

/**
 * Port: produces a detached signature over a message (the canonical bytes of a manifest, an
 * override request, or a context file). Adapters: a local PEM key ({@link PemKeySigner}), OpenPGP
 * ({@code PgpSigner}), and KMS {@code Sign} with {@code MessageType=DIGEST} in {@code lambdas/aws}.
 */
public interface ManifestSigner {

  /**
   * The identity recorded as {@code signing_identity}, e.g. {@code
   * kms:alias/cdk-ci-artifact-signer}.
   */
  String signingIdentity();

  /** The algorithm the signature uses. */
  SignatureAlgorithm algorithm();

  /** Signs {@code message}. The result is what {@code signature} holds, before base64. */
  byte[] sign(byte[] message);
}
