package dev.cairn.core.signature;

import dev.cairn.core.signature.port.ManifestSigner;
import org.bouncycastle.openpgp.PGPPrivateKey;

/** Signs with an OpenPGP secret key; the signature is a binary detached packet. */
public final class PgpSigner implements ManifestSigner {

  private final String signingIdentity;
  private final PGPPrivateKey key;

  public PgpSigner(String signingIdentity, PGPPrivateKey key) {
    if (signingIdentity == null || !signingIdentity.startsWith("pgp:")) {
      throw new IllegalArgumentException(
          "an OpenPGP signing identity has the form pgp:<fingerprint>");
    }
    this.signingIdentity = signingIdentity;
    this.key = key;
  }

  @Override
  public String signingIdentity() {
    return signingIdentity;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return SignatureAlgorithm.OPENPGP;
  }

  @Override
  public byte[] sign(byte[] message) {
    return PgpSignatures.sign(key, message);
  }
}
