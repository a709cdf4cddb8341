package dev.cairn.core.signature;

import dev.cairn.core.signature.port.ManifestSigner;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

/** Signs with a local PEM private key (ECDSA P-256 or RSA-PSS). For CI without KMS, and tests. */
public final class PemKeySigner implements ManifestSigner {

  private final String signingIdentity;
  private final SignatureAlgorithm algorithm;
  private final PrivateKey key;

  public PemKeySigner(String signingIdentity, PrivateKey key) {
    if (signingIdentity == null || signingIdentity.isBlank()) {
      throw new IllegalArgumentException("signing identity is required");
    }
    this.signingIdentity = signingIdentity;
    this.key = key;
    if (key instanceof ECPrivateKey ec) {
      PemKeys.requireP256(ec.getParams());
      this.algorithm = SignatureAlgorithm.ECDSA_SHA_256;
    } else if (key instanceof RSAPrivateKey rsa) {
      PemKeys.requireRsaSize(rsa);
      this.algorithm = SignatureAlgorithm.RSASSA_PSS_SHA_256;
    } else {
      throw new KeyFormatException("unsupported private key type " + key.getAlgorithm());
    }
  }

  @Override
  public String signingIdentity() {
    return signingIdentity;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public byte[] sign(byte[] message) {
    return JcaSignatures.sign(algorithm, key, message);
  }
}
