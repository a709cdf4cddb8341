package dev.cairn.cli.provenance;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * SSH signatures in OpenSSH's {@code SSHSIG} format (PROTOCOL.sshsig), as {@code git commit -S}
 * with {@code gpg.format=ssh} makes them: the armored blob, the public key it names, and the check
 * of its signature over {@code "SSHSIG" || namespace || reserved || hash_algorithm || H(message)}.
 * Keys: {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256} and {@code ssh-rsa} (signature formats
 * {@code rsa-sha2-256}/{@code rsa-sha2-512}; SHA-1 {@code ssh-rsa} signatures are refused, as
 * OpenSSH refuses them).
 */
final class SshSignatures {

  static final String ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----";
  private static final String ARMOR_END = "-----END SSH SIGNATURE-----";
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);

  /** A parsed SSHSIG blob. */
  record SshSig(
      byte[] publicKey, String namespace, byte[] reserved, String hashAlgorithm, byte[] signature) {

    /** The signer's key as an allowed-signers line names it: key type and base64 blob. */
    String keyType() {
      return new Reader(publicKey).string();
    }

    /** {@code SHA256:<base64, no padding>} of the public key blob, as {@code ssh-keygen -l}. */
    String fingerprint() {
      return fingerprintOf(publicKey);
    }
  }

  private SshSignatures() {}

  static String fingerprintOf(byte[] publicKeyBlob) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(publicKeyBlob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses an armored SSHSIG; empty when it is not one (malformed input never throws). */
  static Optional<SshSig> parse(String armored) {
    String text = armored.strip();
    if (!text.startsWith(ARMOR_BEGIN) || !text.endsWith(ARMOR_END)) {
      return Optional.empty();
    }
    String body =
        text.substring(ARMOR_BEGIN.length(), text.length() - ARMOR_END.length())
            .replaceAll("\\s", "");
    try {
      Reader r = new Reader(Base64.getDecoder().decode(body));
      if (!Arrays.equals(r.bytes(MAGIC.length), MAGIC) || r.uint32() != 1) {
        return Optional.empty();
      }
      SshSig sig = new SshSig(r.blob(), r.string(), r.blob(), r.string(), r.blob());
      return r.done() ? Optional.of(sig) : Optional.empty();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** True when {@code sig} is a valid signature of {@code message} in {@code namespace}. */
  static boolean verify(SshSig sig, byte[] message, String namespace) {
    if (!sig.namespace().equals(namespace)) {
      return false;
    }
    try {
      String digest =
          switch (sig.hashAlgorithm()) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> null;
          };
      if (digest == null) {
        return false;
      }
      ByteArrayOutputStream signed = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(signed);
      out.write(MAGIC);
      writeString(out, sig.namespace().getBytes(StandardCharsets.UTF_8));
      writeString(out, sig.reserved());
      writeString(out, sig.hashAlgorithm().getBytes(StandardCharsets.US_ASCII));
      writeString(out, MessageDigest.getInstance(digest).digest(message));
      Reader s = new Reader(sig.signature());
      String format = s.string();
      byte[] value = s.blob();
      if (!s.done()) {
        return false;
      }
      Reader k = new Reader(sig.publicKey());
      String keyType = k.string();
      Signature verifier;
      PublicKey key;
      switch (keyType) {
        case "ssh-ed25519" -> {
          if (!format.equals("ssh-ed25519")) {
            return false;
          }
          byte[] raw = k.blob();
          byte[] prefix = HexPrefix.ED25519_SPKI;
          byte[] spki = Arrays.copyOf(prefix, prefix.length + raw.length);
          System.arraycopy(raw, 0, spki, prefix.length, raw.length);
          key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
          verifier = Signature.getInstance("Ed25519");
        }
        case "ssh-rsa" -> {
          BigInteger e = k.mpint();
          BigInteger n = k.mpint();
          key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
          verifier =
              switch (format) {
                case "rsa-sha2-256" -> Signature.getInstance("SHA256withRSA");
                case "rsa-sha2-512" -> Signature.getInstance("SHA512withRSA");
                default -> null;
              };
          if (verifier == null) {
            return false;
          }
        }
        case "ecdsa-sha2-nistp256" -> {
          if (!format.equals(keyType) || !k.string().equals("nistp256")) {
            return false;
          }
          byte[] q = k.blob();
          if (q.length != 65 || q[0] != 4) {
            return false;
          }
          ECParameterSpec p256 = P256.spec();
          ECPoint point =
              new ECPoint(
                  new BigInteger(1, Arrays.copyOfRange(q, 1, 33)),
                  new BigInteger(1, Arrays.copyOfRange(q, 33, 65)));
          key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, p256));
          Reader rs = new Reader(value);
          value = der(rs.mpint(), rs.mpint());
          verifier = Signature.getInstance("SHA256withECDSA");
        }
        default -> {
          return false;
        }
      }
      verifier.initVerify(key);
      verifier.update(signed.toByteArray());
      return verifier.verify(value);
    } catch (GeneralSecurityException
        | IOException
        | IllegalArgumentException
        | IndexOutOfBoundsException e) {
      return false;
    }
  }

  private static void writeString(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  /** An ECDSA (r, s) as the DER SEQUENCE JCA verifies. */
  private static byte[] der(BigInteger r, BigInteger s) {
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.write(4 + rb.length + sb.length);
    out.write(0x02);
    out.write(rb.length);
    out.writeBytes(rb);
    out.write(0x02);
    out.write(sb.length);
    out.writeBytes(sb);
    return out.toByteArray();
  }

  /** The SubjectPublicKeyInfo prefix of a raw 32-byte Ed25519 key (RFC 8410). */
  private static final class HexPrefix {
    static final byte[] ED25519_SPKI = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };
  }

  /** NIST P-256's domain parameters, from the JDK's own named curve. */
  private static final class P256 {
    static ECParameterSpec spec() throws GeneralSecurityException {
      java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
      p.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    }
  }

  /** SSH wire-format reader (RFC 4251 §5): uint32, string, mpint. */
  static final class Reader {
    private final ByteBuffer b;

    Reader(byte[] bytes) {
      this.b = ByteBuffer.wrap(bytes);
    }

    long uint32() {
      return Integer.toUnsignedLong(b.getInt());
    }

    byte[] bytes(int n) {
      if (n < 0 || n > b.remaining()) {
        throw new IllegalArgumentException("truncated");
      }
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    byte[] blob() {
      long n = uint32();
      if (n > b.remaining()) {
        throw new IllegalArgumentException("truncated");
      }
      return bytes((int) n);
    }

    String string() {
      return new String(blob(), StandardCharsets.UTF_8);
    }

    BigInteger mpint() {
      byte[] m = blob();
      return m.length == 0 ? BigInteger.ZERO : new BigInteger(m);
    }

    boolean done() {
      return !b.hasRemaining();
    }
  }
}
