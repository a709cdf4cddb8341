package dev.cairn.core.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.core.verify.TestKeys;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real cryptography, including malformed and malleated signatures. */
class SignatureVerifierTest {

  static final byte[] MESSAGE = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
  static final BigInteger P256_N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  @TempDir Path tmp;

  @Test
  void ecdsa_roundTrip_andWrongMessageOrKeyFails() {
    byte[] sig =
        JcaSignatures.sign(SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPrivate(), MESSAGE);
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPublic(), MESSAGE, sig))
        .isTrue();
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_B.getPublic(), MESSAGE, sig))
        .isFalse();
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256,
                TestKeys.EC_A.getPublic(),
                "x".getBytes(StandardCharsets.UTF_8),
                sig))
        .isFalse();
  }

  @Test
  void ecdsa_whenTrailingByteAppended_fails() {
    byte[] sig =
        JcaSignatures.sign(SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPrivate(), MESSAGE);
    byte[] longer = Arrays.copyOf(sig, sig.length + 1);
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPublic(), MESSAGE, longer))
        .isFalse();
  }

  @Test
  void ecdsa_whenZeroRAndS_fails() throws Exception {
    // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(0));
    v.add(new ASN1Integer(0));
    byte[] zero = new DERSequence(v).getEncoded();
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPublic(), MESSAGE, zero))
        .isFalse();
  }

  @Test
  void ecdsa_whenRAndSAreTheOrder_fails() throws Exception {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(P256_N));
    v.add(new ASN1Integer(P256_N));
    byte[] sig = new DERSequence(v).getEncoded();
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPublic(), MESSAGE, sig))
        .isFalse();
  }

  @Test
  void ecdsa_highS_isStillTheSignersValidSignature() throws Exception {
    // (r, n - s) is mathematically valid ECDSA; KMS may emit either. The signature is not part of
    // the signed bytes, so this malleability changes no verdict.
    byte[] sig =
        JcaSignatures.sign(SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPrivate(), MESSAGE);
    ASN1Sequence seq = ASN1Sequence.getInstance(sig);
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
    BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(P256_N.subtract(s)));
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.ECDSA_SHA_256,
                TestKeys.EC_A.getPublic(),
                MESSAGE,
                new DERSequence(v).getEncoded()))
        .isTrue();
  }

  @Test
  void ecdsa_garbage_isFalseNotException() {
    for (byte[] junk :
        new byte[][] {
          {}, {0x30}, {0x30, 0x00}, new byte[72], "MEUCIQ".getBytes(StandardCharsets.UTF_8)
        }) {
      assertThat(
              JcaSignatures.verify(
                  SignatureAlgorithm.ECDSA_SHA_256, TestKeys.EC_A.getPublic(), MESSAGE, junk))
          .isFalse();
    }
  }

  @Test
  void rsaPss_roundTrip_andPkcs1v15Rejected() throws Exception {
    byte[] sig =
        JcaSignatures.sign(
            SignatureAlgorithm.RSASSA_PSS_SHA_256, TestKeys.RSA.getPrivate(), MESSAGE);
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.RSASSA_PSS_SHA_256, TestKeys.RSA.getPublic(), MESSAGE, sig))
        .isTrue();
    java.security.Signature pkcs1 = java.security.Signature.getInstance("SHA256withRSA");
    pkcs1.initSign(TestKeys.RSA.getPrivate());
    pkcs1.update(MESSAGE);
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.RSASSA_PSS_SHA_256,
                TestKeys.RSA.getPublic(),
                MESSAGE,
                pkcs1.sign()))
        .isFalse();
  }

  @Test
  void rsaPss_opensslDefaultMaxSalt_verifies() throws Exception {
    // OpenSSL 3.0 signs PSS with the maximum salt length by default; KMS uses 32 bytes. Both are
    // RSASSA-PSS with SHA-256 and MGF1-SHA-256.
    assumeTrue(new ProcessBuilder("openssl", "version").start().waitFor() == 0);
    Path key = tmp.resolve("k.pem");
    Path msg = Files.write(tmp.resolve("m"), MESSAGE);
    Path sig = tmp.resolve("s");
    assertThat(
            new ProcessBuilder("openssl", "genrsa", "-out", key.toString(), "3072")
                .start()
                .waitFor())
        .isZero();
    assertThat(
            new ProcessBuilder(
                    "openssl",
                    "dgst",
                    "-sha256",
                    "-sigopt",
                    "rsa_padding_mode:pss",
                    "-sign",
                    key.toString(),
                    "-out",
                    sig.toString(),
                    msg.toString())
                .start()
                .waitFor())
        .isZero();
    var pub = PemKeys.readPublicKey(toPublicPem(key));
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.RSASSA_PSS_SHA_256, pub, MESSAGE, Files.readAllBytes(sig)))
        .isTrue();
    assertThat(
            JcaSignatures.verify(
                SignatureAlgorithm.RSASSA_PSS_SHA_256,
                pub,
                "other".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(sig)))
        .isFalse();
  }

  private String toPublicPem(Path key) throws Exception {
    Process p = new ProcessBuilder("openssl", "rsa", "-in", key.toString(), "-pubout").start();
    String pem = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(p.waitFor()).isZero();
    return pem;
  }

  @Test
  void rsa_keySize_isEnforced() {
    assertThat(((RSAPublicKey) TestKeys.RSA.getPublic()).getModulus().bitLength()).isEqualTo(3072);
  }

  @Test
  void pgp_binaryAndArmored_verify() throws Exception {
    var ring = PgpKeys.readPublicKeyRing(TestKeys.PGP.armoredPublicKey());
    byte[] sig =
        PgpSignatures.sign(
            PgpKeys.readSigningKey(
                TestKeys.PGP.armoredSecretKey(), new char[0], java.time.Instant.now()),
            MESSAGE);
    assertThat(PgpSignatures.verify(ring, MESSAGE, sig, java.time.Instant.now())).isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
      armored.write(sig);
    }
    assertThat(PgpSignatures.verify(ring, MESSAGE, out.toByteArray(), java.time.Instant.now()))
        .isTrue();
    assertThat(
            PgpSignatures.verify(
                ring, "x".getBytes(StandardCharsets.UTF_8), sig, java.time.Instant.now()))
        .isFalse();
  }

  @Test
  void pgp_whenTrailingDataAfterSignature_fails() {
    var ring = PgpKeys.readPublicKeyRing(TestKeys.PGP.armoredPublicKey());
    byte[] sig =
        PgpSignatures.sign(
            PgpKeys.readSigningKey(
                TestKeys.PGP.armoredSecretKey(), new char[0], java.time.Instant.now()),
            MESSAGE);
    byte[] twice = new byte[sig.length * 2];
    System.arraycopy(sig, 0, twice, 0, sig.length);
    System.arraycopy(sig, 0, twice, sig.length, sig.length);
    assertThat(PgpSignatures.verify(ring, MESSAGE, twice, java.time.Instant.now())).isFalse();
    byte[] junk = Arrays.copyOf(sig, sig.length + 3);
    assertThat(PgpSignatures.verify(ring, MESSAGE, junk, java.time.Instant.now())).isFalse();
  }

  @Test
  void pgp_whenSignedAfterKeyExpired_fails() throws Exception {
    var rsa = new org.bouncycastle.crypto.generators.RSAKeyPairGenerator();
    rsa.init(
        new org.bouncycastle.crypto.params.RSAKeyGenerationParameters(
            BigInteger.valueOf(0x10001), new java.security.SecureRandom(), 2048, 80));
    java.util.Date created = new java.util.Date(System.currentTimeMillis() - 2 * 86_400_000L);
    var pair =
        new org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair(
            org.bouncycastle.bcpg.PublicKeyAlgorithmTags.RSA_GENERAL,
            rsa.generateKeyPair(),
            created);
    var hashed = new org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator();
    hashed.setKeyExpirationTime(false, 86_400L); // valid for one day after creation
    var sha1 =
        new org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider()
            .get(org.bouncycastle.bcpg.HashAlgorithmTags.SHA1);
    var gen =
        new org.bouncycastle.openpgp.PGPKeyRingGenerator(
            PGPSignature.POSITIVE_CERTIFICATION,
            pair,
            "expired <e@example.test>",
            sha1,
            hashed.generate(),
            null,
            new org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder(
                pair.getPublicKey().getAlgorithm(), org.bouncycastle.bcpg.HashAlgorithmTags.SHA256),
            null);
    var ring = gen.generatePublicKeyRing();
    assertThat(ring.getPublicKey().getValidSeconds()).isEqualTo(86_400L);
    byte[] sig = PgpSignatures.sign(pair.getPrivateKey(), MESSAGE); // signed now: after expiry
    assertThat(PgpSignatures.verify(ring, MESSAGE, sig, java.time.Instant.now())).isFalse();
  }

  @Test
  void pgp_garbage_isFalseNotException() {
    var ring = PgpKeys.readPublicKeyRing(TestKeys.PGP.armoredPublicKey());
    for (byte[] junk :
        new byte[][] {
          {},
          {(byte) 0x89},
          new byte[300],
          "-----BEGIN PGP SIGNATURE-----\n".getBytes(StandardCharsets.US_ASCII)
        }) {
      assertThat(PgpSignatures.verify(ring, MESSAGE, junk, java.time.Instant.now())).isFalse();
    }
  }

  @Test
  void pgp_signatureType_isBinaryDocument() throws Exception {
    byte[] sig =
        PgpSignatures.sign(
            PgpKeys.readSigningKey(
                TestKeys.PGP.armoredSecretKey(), new char[0], java.time.Instant.now()),
            MESSAGE);
    var list =
        (org.bouncycastle.openpgp.PGPSignatureList)
            new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(sig).nextObject();
    assertThat(list.get(0).getSignatureType()).isEqualTo(PGPSignature.BINARY_DOCUMENT);
  }
}
