package dev.cairn.core.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
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
    // verifier's 10,000-entry map is checked and digested in one pass, with no second sort.
    if (fileHashes instanceof SortedMap<String, String> sorted && sorted.comparator() == null) {
      Lines md = new Lines();
      for (Map.Entry<String, String> e : fileHashes.entrySet()) {
        byte[] path = checked(e.getKey(), e.getValue());
        if (path.length != e.getKey().length() && hasSurrogate(e.getKey())) {
          return byBytes(fileHashes); // a supplementary character: UTF-16 order is not UTF-8's
        }
        md.line(e.getValue(), path);
      }
      return md.hex();
    }
    return byBytes(fileHashes);
  }

  /** The digest with the lines sorted by their paths' UTF-8 bytes, whatever the map's order. */
  private static String byBytes(Map<String, String> fileHashes) {
    byte[][] paths = new byte[fileHashes.size()][];
    String[] hashes = new String[fileHashes.size()];
    int i = 0;
    for (Map.Entry<String, String> e : fileHashes.entrySet()) {
      paths[i] = checked(e.getKey(), e.getValue());
      hashes[i] = e.getValue();
      i++;
    }
    Integer[] order = new Integer[paths.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(paths[a], paths[b]));
    Lines md = new Lines();
    for (int k : order) {
      md.line(hashes[k], paths[k]);
    }
    return md.hex();
  }

  /** The path's UTF-8 bytes, once the path and its hash are checked. */
  private static byte[] checked(String path, String hash) {
    Optional<String> why = ArtifactPath.violation(path);
    if (why.isPresent()) {
      throw new IllegalArgumentException("path " + quote(path) + " " + why.get());
    }
    if (!Sha256.isHex64(hash)) {
      throw new IllegalArgumentException("hash of " + quote(path) + " is not SHA-256 hex");
    }
    return path.getBytes(StandardCharsets.UTF_8);
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

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): see below
    void line(String hash, byte[] path) {
      int length = hash.length() + 2 + path.length + 1;
      if (used + length > buffer.length) {
        md.update(buffer, 0, used);
        used = 0;
        if (length > buffer.length) {
          buffer = new byte[length];
        }
      }
      // 64 checked hex characters: each char's low byte is its UTF-8 (a bulk copy, not a loop).
      hash.getBytes(0, hash.length(), buffer, used);
      used += hash.length();
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
