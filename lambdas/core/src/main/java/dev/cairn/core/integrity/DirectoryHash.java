package dev.cairn.core.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * The artifact digest (ARCHITECTURE decision 2): SHA-256 over the lines {@code "<sha256hex>
 * <path>\n"}, one per file, sorted by path as UTF-8 bytes. The same construction as Go's dirhash
 * {@code h1:} (without the base64 prefix).
 */
public final class DirectoryHash {

  private DirectoryHash() {}

  /**
   * Computes the directory hash of {@code fileHashes} (path → lower-case hex SHA-256).
   *
   * @throws IllegalArgumentException if a path breaks the rules or a hash is not hex
   */
  public static String compute(Map<String, String> fileHashes) {
    byte[][] paths = new byte[fileHashes.size()][];
    String[] hashes = new String[fileHashes.size()];
    int i = 0;
    for (Map.Entry<String, String> e : fileHashes.entrySet()) {
      ArtifactPath.violation(e.getKey())
          .ifPresent(
              why -> {
                throw new IllegalArgumentException("path " + quote(e.getKey()) + " " + why);
              });
      if (!Sha256.isHex64(e.getValue())) {
        throw new IllegalArgumentException("hash of " + quote(e.getKey()) + " is not SHA-256 hex");
      }
      paths[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      hashes[i] = e.getValue();
      i++;
    }
    Integer[] order = new Integer[paths.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(paths[a], paths[b]));
    MessageDigest md = Sha256.newDigest();
    for (int k : order) {
      md.update(hashes[k].getBytes(StandardCharsets.US_ASCII));
      md.update((byte) ' ');
      md.update((byte) ' ');
      md.update(paths[k]);
      md.update((byte) '\n');
    }
    return Sha256.toHex(md.digest());
  }

  static String quote(String s) {
    return '"' + s.replace("\"", "\\\"") + '"';
  }
}
