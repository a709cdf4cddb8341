package dev.cairn.core.context;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPUtil;

/** Encodes and decodes signature sidecar files. */
public final class SignatureArmor {
  private SignatureArmor() {}

  public static byte[] encode(ContextKeys.SignatureKind kind, byte[] signature) {
    if (kind == ContextKeys.SignatureKind.RAW) {
      return (Base64.getEncoder().encodeToString(signature) + "\n")
          .getBytes(StandardCharsets.US_ASCII);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
        armored.write(signature);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The signature bytes, or {@code null} if the sidecar cannot be decoded. */
  public static byte[] decode(ContextKeys.SignatureKind kind, byte[] sidecar) {
    try {
      if (kind == ContextKeys.SignatureKind.RAW) {
        return Base64.getDecoder().decode(new String(sidecar, StandardCharsets.US_ASCII).strip());
      }
      try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(sidecar))) {
        return in.readAllBytes();
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}
