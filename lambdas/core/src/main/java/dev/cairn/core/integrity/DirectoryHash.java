package dev.cairn.core.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

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
    // A naturally ordered SortedMap whose paths are all in the Basic Multilingual Plane iterates in
    // UTF-8 byte order already (UTF-16 code-unit order equals code-point order there), so the
    // verifier's 10,000-entry map needs no second sort.
    boolean utf8Ordered =
        fileHashes instanceof SortedMap<String, String> sorted && sorted.comparator() == null;
    for (Map.Entry<String, String> e : fileHashes.entrySet()) {
      ArtifactPath.violation(e.getKey())
          .ifPresent(
              why -> {
                throw new IllegalArgumentException("path " + quote(e.getKey()) + " " + why);
              });
      if (!Sha256.isHex64(e.getValue())) {
        throw new IllegalArgumentException("hash of " + quote(e.getKey()) + " is not SHA-256 hex");
      }
      if (utf8Ordered && hasSurrogate(e.getKey())) {
        utf8Ordered = false;
      }
    }
    Lines md = new Lines();
    if (utf8Ordered) {
      for (Map.Entry<String, String> e : fileHashes.entrySet()) {
        md.line(e.getValue(), e.getKey().getBytes(StandardCharsets.UTF_8));
      }
      return md.hex();
    }
    byte[][] paths = new byte[fileHashes.size()][];
    String[] hashes = new String[fileHashes.size()];
    int i = 0;
    for (Map.Entry<String, String> e : fileHashes.entrySet()) {
      paths[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      hashes[i] = e.getValue();
      i++;
    }
    Integer[] order = new Integer[paths.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(paths[a], paths[b]));
    for (int k : order) {
      md.line(hashes[k], paths[k]);
    }
    return md.hex();
  }

  /**
   * The {@code "<hash> <path>\n"} lines, gathered in a buffer and digested a buffer at a time: five
   * digest calls per line would be 50,000 for a 10,000-file artifact, each through the JCA layer
   * (in a fresh JVM, the tail of a verify that nothing else runs beside).
   */
  private static final class Lines {
    private final MessageDigest md = Sha256.newDigest();
    private byte[] buffer = new byte[64 * 1024];
    private int used;

    void line(String hash, byte[] path) {
      int length = hash.length() + 2 + path.length + 1;
      if (used + length > buffer.length) {
        md.update(buffer, 0, used);
        used = 0;
        if (length > buffer.length) {
          buffer = new byte[length];
        }
      }
      for (int i = 0; i < hash.length(); i++) {
        buffer[used++] = (byte) hash.charAt(i);
      }
      buffer[used++] = ' ';
      buffer[used++] = ' ';
      System.arraycopy(path, 0, buffer, used, path.length);
      used += path.length;
      buffer[used++] = '\n';
    }

    String hex() {
      md.update(buffer, 0, used);
      return Sha256.toHex(md.digest());
    }
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static String quote(String s) {
    return '"' + s.replace("\"", "\\\"") + '"';
  }
}
