package dev.cairn.core.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. Streams are hashed in fixed-size chunks; a whole file is never loaded. */
public final class Sha256 {

  /** Read buffer per hashing thread. Memory use is bounded by threads × this. */
  public static final int BUFFER_SIZE = 256 * 1024;

  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(newDigest().digest(bytes));
  }

  /** Lower-case hex of raw digest bytes. */
  public static String toHex(byte[] digest) {
    return HEX.formatHex(digest);
  }

  /** Raw bytes from lower-case hex. */
  public static byte[] fromHex(String hex) {
    return HEX.parseHex(hex);
  }

  /** Hashes a stream to its end, reading {@link #BUFFER_SIZE} bytes at a time. */
  public static Digest hash(InputStream in) throws IOException {
    return hash(in, new byte[BUFFER_SIZE]);
  }

  /** Hashes a stream to its end with a caller-owned buffer (one per thread). */
  public static Digest hash(InputStream in, byte[] buffer) throws IOException {
    MessageDigest md = newDigest();
    long size = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      md.update(buffer, 0, n);
      size += n;
    }
    return new Digest(HEX.formatHex(md.digest()), size);
  }

  /** True when {@code value} is 64 lower-case hex characters. */
  public static boolean isHex64(String value) {
    // A loop, not a regular expression: a 10,000-file manifest checks 30,000 of these.
    if (value == null || value.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** A SHA-256 in lower-case hex with the number of bytes it covers. */
  public record Digest(String hex, long size) {
    public Digest {
      if (!isHex64(hex)) {
        throw new IllegalArgumentException("not a SHA-256 hex digest: " + hex);
      }
      if (size < 0) {
        throw new IllegalArgumentException("negative size");
      }
    }
  }
}
