package dev.cairn.core.verify;

import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSigner;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.signature.port.ManifestSigner;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustPolicy.SignerSpec;
import java.security.KeyPair;
import java.util.List;

/**
 * Real keys, generated once per test JVM: two trusted ECDSA P-256 signers (A and B), a trusted
 * RSA-3072 signer, a trusted OpenPGP signer, and an ECDSA key nobody trusts.
 */
public final class TestKeys {

  public static final String ID_A = "kms:alias/cdk-ci-artifact-signer";
  public static final String ID_B = "key:second-ci-signer";
  public static final String ID_RSA = "kms:alias/cdk-ci-rsa-signer";
  public static final String CLI_VERSION = "2.1148.1";
  public static final String MAIN = "refs/heads/main";

  public static final KeyPair EC_A = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  public static final KeyPair EC_B = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  public static final KeyPair EC_UNTRUSTED = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
  public static final KeyPair RSA = PemKeys.generate(SignatureAlgorithm.RSASSA_PSS_SHA_256);
  public static final PgpKeys.GeneratedKey PGP =
      PgpKeys.generate("Cairn CI <ci@example.test>", new char[0]);
  public static final String ID_PGP = "pgp:" + PGP.fingerprint();

  public static final TrustPolicy POLICY =
      TrustPolicy.of(
          List.of(
              new SignerSpec(
                  ID_A, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(EC_A.getPublic())),
              new SignerSpec(
                  ID_B, SignatureAlgorithm.ECDSA_SHA_256, PemKeys.toPem(EC_B.getPublic())),
              new SignerSpec(
                  ID_RSA, SignatureAlgorithm.RSASSA_PSS_SHA_256, PemKeys.toPem(RSA.getPublic())),
              new SignerSpec(ID_PGP, SignatureAlgorithm.OPENPGP, PGP.armoredPublicKey())),
          List.of(CLI_VERSION),
          List.of(MAIN));

  private TestKeys() {}

  public static ManifestSigner signerA() {
    return new PemKeySigner(ID_A, EC_A.getPrivate());
  }

  public static ManifestSigner signerB() {
    return new PemKeySigner(ID_B, EC_B.getPrivate());
  }

  public static ManifestSigner rsaSigner() {
    return new PemKeySigner(ID_RSA, RSA.getPrivate());
  }

  public static ManifestSigner pgpSigner() {
    return new PgpSigner(
        ID_PGP,
        PgpKeys.readSigningKey(PGP.armoredSecretKey(), new char[0], java.time.Instant.now()));
  }

  /** An untrusted key that claims a trusted identity. */
  public static ManifestSigner impostorClaiming(String identity) {
    return new PemKeySigner(identity, EC_UNTRUSTED.getPrivate());
  }
}
