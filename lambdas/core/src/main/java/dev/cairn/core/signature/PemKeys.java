package dev.cairn.core.signature;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads and writes PEM keys: SubjectPublicKeyInfo ({@code PUBLIC KEY}) and PKCS#8 ({@code PRIVATE
 * KEY}) as Cairn writes them, plus what {@code openssl} writes by default ({@code EC PRIVATE KEY},
 * {@code RSA PRIVATE KEY}, {@code RSA PUBLIC KEY}, certificates).
 */
public final class PemKeys {

  /** Smallest RSA modulus accepted for signing, in bits. */
  public static final int MIN_RSA_BITS = 2048;

  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private PemKeys() {}

  /** Parses a PEM public key (or the public half of a PEM private key or certificate). */
  public static PublicKey readPublicKey(String pem) {
    PublicKey plain = plainPublicKey(pem);
    return plain != null ? plain : readAnyPublicKey(pem);
  }

  /**
   * A lone {@code PUBLIC KEY} block, as Cairn and {@code openssl pkey -pubout} write it (trailing
   * whitespace allowed, nothing before it), read with the JDK alone. For such a block the general
   * path ({@link #readAnyPublicKey}) hands the same DER to the same JDK key factory, so the key is
   * the same; this one skips loading BouncyCastle's PEM and ASN.1 readers, about 50 ms of a fresh
   * CLI's start. Null for anything else: other blocks, text around the block, a key type other than
   * EC or RSA, or DER that the JDK would not write back byte for byte. The general path decides
   * those.
   */
  static PublicKey plainPublicKey(String pem) {
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    String text = pem == null ? "" : pem.stripTrailing();
    if (!text.startsWith(begin)
        || !text.endsWith(end)
        || text.indexOf('-', begin.length()) != text.length() - end.length()) {
      return null;
    }
    StringBuilder base64 = new StringBuilder(text.length());
    for (int i = begin.length(); i < text.length() - end.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        continue;
      }
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/'
              || c == '=';
      if (!alphabet) {
        return null;
      }
      base64.append(c);
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (String algorithm : new String[] {"EC", "RSA"}) {
      try {
        PublicKey key =
            KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        return java.util.Arrays.equals(key.getEncoded(), der) ? key : null;
      } catch (GeneralSecurityException | RuntimeException e) {
        // Not this key type, or DER the JDK refuses: the next type, then the general path.
      }
    }
    return null;
  }

  /** Any PEM public key, private key or certificate BouncyCastle reads: the general path. */
  static PublicKey readAnyPublicKey(String pem) {
    Object parsed = parse(pem);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (parsed instanceof SubjectPublicKeyInfo spki) {
        return converter.getPublicKey(spki);
      }
      if (parsed instanceof X509CertificateHolder cert) {
        return converter.getPublicKey(cert.getSubjectPublicKeyInfo());
      }
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPublic();
      }
    } catch (IOException e) {
      throw new KeyFormatException("unreadable public key: " + e.getMessage(), e);
    }
    throw new KeyFormatException("PEM does not hold a public key (found " + kind(parsed) + ")");
  }

  /**
   * Parses a PEM private key: PKCS#8, SEC1 {@code EC PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE
   * KEY}.
   */
  public static PrivateKey readPrivateKey(String pem) {
    Object parsed = parse(pem);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (parsed instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new KeyFormatException("unreadable private key: " + e.getMessage(), e);
    }
    throw new KeyFormatException(
        "PEM does not hold an unencrypted private key (found " + kind(parsed) + ")");
  }

  /** The signature algorithm a public key implies: P-256 → ECDSA, RSA → RSA-PSS. */
  public static SignatureAlgorithm algorithmOf(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      requireP256(ec.getParams());
      return SignatureAlgorithm.ECDSA_SHA_256;
    }
    if (key instanceof RSAKey rsa) {
      requireRsaSize(rsa);
      return SignatureAlgorithm.RSASSA_PSS_SHA_256;
    }
    throw new KeyFormatException(
        "unsupported key type " + key.getAlgorithm() + " (need EC P-256 or RSA ≥ 2048 bits)");
  }

  /** Generates a key pair: {@code ecdsa-p256} or {@code rsa-3072}. */
  public static KeyPair generate(SignatureAlgorithm algorithm) {
    try {
      return switch (algorithm) {
        case ECDSA_SHA_256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"));
          yield g.generateKeyPair();
        }
        case RSASSA_PSS_SHA_256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(3072);
          yield g.generateKeyPair();
        }
        case OPENPGP -> throw new IllegalArgumentException("use PgpKeys for OpenPGP keys");
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("key generation failed", e);
    }
  }

  /** PEM text of a public key (SubjectPublicKeyInfo). */
  public static String toPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** PEM text of a private key (unencrypted PKCS#8). */
  public static String toPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** SHA-256 (hex) over the DER SubjectPublicKeyInfo: the key's pinnable fingerprint. */
  public static String fingerprint(PublicKey key) {
    return dev.cairn.core.integrity.Sha256.hex(key.getEncoded());
  }

  static void requireP256(ECParameterSpec params) {
    if (params == null
        || params.getCurve().getField().getFieldSize() != 256
        || !params.getOrder().equals(P256_ORDER)) {
      throw new KeyFormatException("EC key is not on NIST P-256");
    }
  }

  static void requireRsaSize(RSAKey rsa) {
    if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new KeyFormatException(
          "RSA key has " + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS);
    }
  }

  private static Object parse(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new KeyFormatException("empty key");
    }
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o == null) {
        throw new KeyFormatException("no PEM block found");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyFormatException kfe) {
        throw kfe;
      }
      throw new KeyFormatException("malformed PEM: " + e.getMessage(), e);
    }
  }

  private static String kind(Object parsed) {
    return parsed == null ? "nothing" : parsed.getClass().getSimpleName();
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
