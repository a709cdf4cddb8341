package dev.cairn.core.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/** OpenPGP detached signatures over binary documents (signature type 0x00). */
public final class PgpSignatures {

  private PgpSignatures() {}

  /** A binary detached signature packet over {@code message}. */
  public static byte[] sign(PGPPrivateKey key, byte[] message) {
    try {
      PGPSignatureGenerator gen =
          new PGPSignatureGenerator(
              new BcPGPContentSignerBuilder(
                  key.getPublicKeyPacket().getAlgorithm(), HashAlgorithmTags.SHA256));
      gen.init(PGPSignature.BINARY_DOCUMENT, key);
      gen.update(message);
      return gen.generate().getEncoded();
    } catch (PGPException | IOException e) {
      throw new IllegalStateException("OpenPGP signing failed: " + e.getMessage(), e);
    }
  }

  /**
   * True when {@code signature} (binary or armored) is exactly one valid binary-document signature
   * of {@code message} by a key of the pinned {@code ring} that may sign ({@link
   * PgpKeys#signingKey}: the primary with the sign flag or a bound, back-signed signing subkey;
   * neither revoked nor expired when the signature was made or at {@code now}). Anything malformed
   * is invalid; nothing throws.
   */
  public static boolean verify(
      PGPPublicKeyRing ring, byte[] message, byte[] signature, Instant now) {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
      byte[] binary = in.readNBytes(64 * 1024);
      // Exactly one signature packet and nothing after it: trailing packets or bytes are not
      // silently ignored.
      if (packetLength(binary) != binary.length) {
        return false;
      }
      Object o = new BcPGPObjectFactory(binary).nextObject();
      if (!(o instanceof PGPSignatureList list) || list.size() != 1) {
        return false;
      }
      PGPSignature sig = list.get(0);
      if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
        return false;
      }
      if (sig.getHashAlgorithm() == HashAlgorithmTags.MD5
          || sig.getHashAlgorithm() == HashAlgorithmTags.SHA1) {
        return false;
      }
      // A signature made after the key expired is not the key holder's (RFC 4880 5.2.3.6).
      PGPPublicKey key =
          PgpKeys.signingKey(ring, sig.getKeyID(), sig.getCreationTime(), Date.from(now));
      if (key == null) {
        return false;
      }
      sig.init(new BcPGPContentVerifierBuilderProvider(), key);
      sig.update(message);
      return sig.verify();
    } catch (IOException | PGPException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The length, header included, of the OpenPGP packet at the start of {@code b} (RFC 4880 section
   * 4.2), or -1 when the header is malformed, indeterminate or partial.
   */
  static long packetLength(byte[] b) {
    if (b.length < 2 || (b[0] & 0x80) == 0) {
      return -1;
    }
    int first = b[0] & 0xff;
    if ((first & 0x40) != 0) { // new format
      int l0 = b[1] & 0xff;
      if (l0 < 192) {
        return 2L + l0;
      }
      if (l0 <= 223) {
        return b.length < 3 ? -1 : 3L + ((l0 - 192) << 8) + (b[2] & 0xff) + 192;
      }
      if (l0 == 255) {
        return b.length < 6 ? -1 : 6L + be(b, 2, 4);
      }
      return -1; // partial body length: not for a signature
    }
    return switch (first & 0x03) { // old format
      case 0 -> 2L + (b[1] & 0xff);
      case 1 -> b.length < 3 ? -1 : 3L + be(b, 1, 2);
      case 2 -> b.length < 5 ? -1 : 5L + be(b, 1, 4);
      default -> -1; // indeterminate length
    };
  }

  private static long be(byte[] b, int off, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
