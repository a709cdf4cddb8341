package dev.cairn.cli.context;

import dev.cairn.core.context.ContextKeys;
import dev.cairn.core.signature.JcaSignatures;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSignatures;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.security.PublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The pinned key a blessed context must be signed with. It comes from the caller (the trust
 * policy), never from the bucket.
 */
public sealed interface ContextTrust {

  /** Which signature sidecar this key verifies. */
  ContextKeys.SignatureKind kind();

  /** True when {@code signature} is valid for {@code context}. */
  /** {@code now}: an OpenPGP key must not be revoked or expired now (nor at signing). */
  boolean verifies(byte[] context, byte[] signature, java.time.Instant now);

  /** A PEM public key (the KMS context signer's, or a local ECDSA/RSA key). */
  record Pem(PublicKey key, SignatureAlgorithm algorithm) implements ContextTrust {
    @Override
    public ContextKeys.SignatureKind kind() {
      return ContextKeys.SignatureKind.RAW;
    }

    @Override
    public boolean verifies(byte[] context, byte[] signature, java.time.Instant now) {
      return JcaSignatures.verify(algorithm, key, context, signature);
    }
  }

  /** An armoured OpenPGP public key. */
  record OpenPgp(PGPPublicKeyRing ring) implements ContextTrust {
    @Override
    public ContextKeys.SignatureKind kind() {
      return ContextKeys.SignatureKind.OPENPGP;
    }

    @Override
    public boolean verifies(byte[] context, byte[] signature, java.time.Instant now) {
      try {
        return PgpSignatures.verify(ring, context, signature, now);
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /** Reads a PEM or armoured OpenPGP public key. */
  static ContextTrust parse(String text) {
    if (PgpKeys.looksArmoredPublicKey(text)) {
      return new OpenPgp(PgpKeys.readPublicKeyRing(text));
    }
    PublicKey key = PemKeys.readPublicKey(text);
    return new Pem(key, PemKeys.algorithmOf(key));
  }
}
