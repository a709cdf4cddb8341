package dev.cairn.core.signature;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
   * of {@code message} by a non-revoked key of the pinned {@code ring}. Anything malformed is
   * invalid; nothing throws.
   */
  public static boolean verify(PGPPublicKeyRing ring, byte[] message, byte[] signature) {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
      Object o = new BcPGPObjectFactory(in).nextObject();
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
      PGPPublicKey key = PgpKeys.signingKey(ring, sig.getKeyID());
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
}
