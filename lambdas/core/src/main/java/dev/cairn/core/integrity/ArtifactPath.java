package dev.cairn.core.integrity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * The path rules for files inside an artifact (ARCHITECTURE decision 2).
 *
 * <p>A path is relative, uses {@code /}, has no empty, {@code .} or {@code ..} segment, no
 * backslash, no NUL or other control character, is NFC-normalised, and is at most {@value
 * #MAX_LENGTH} bytes long. Uniqueness ignoring case is a property of a set of paths and is checked
 * by {@link #caseFoldKey(String)} users.
 */
public final class ArtifactPath {

  /** Longest accepted path, in characters. */
  public static final int MAX_LENGTH = 1024;

  private ArtifactPath() {}

  /**
   * Why {@code path} breaks the rules, or empty when it is acceptable.
   *
   * @return a short human reason, e.g. "contains a '..' segment"
   */
  public static Optional<String> violation(String path) {
    // Allocation-free when the path is acceptable: the verifier checks every path of a
    // 10,000-file artifact three times (manifest, listing, directory hash).
    if (path == null || path.isEmpty()) {
      return Optional.of("is empty");
    }
    int length = path.length();
    if (length > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    boolean ascii = true;
    for (int i = 0; i < length; i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return Optional.of("contains a NUL character");
      }
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("contains a control character");
      }
      if (c == '\\') {
        return Optional.of("contains a backslash");
      }
      if (c >= 0x80) {
        ascii = false;
      }
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < length
              && Character.isLowSurrogate(path.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(path.charAt(i - 1)))) {
        return Optional.of("contains an unpaired surrogate");
      }
    }
    if (path.charAt(0) == '/') {
      return Optional.of("is absolute");
    }
    if (length >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
      return Optional.of("has a drive letter");
    }
    int start = 0;
    while (start <= length) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      int segment = end - start;
      if (segment == 0) {
        return Optional.of("has an empty segment");
      }
      if (segment == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
        return Optional.of("contains a '..' segment");
      }
      if (segment == 1 && path.charAt(start) == '.') {
        return Optional.of("contains a '.' segment");
      }
      start = end + 1;
    }
    // ASCII text is always in NFC.
    if (!ascii && !Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
      return Optional.of("is not NFC-normalised");
    }
    return Optional.empty();
  }

  /**
   * Why {@code relative}, written relative to the artifact directory {@code directory}, is not a
   * path inside the artifact, or empty when it is. This is how CDK writes an asset's source in the
   * nested assembly of a stage: the asset folders stay in the root, so {@code
   * assembly-Prod/Stack.assets.json} names {@code ../asset.<hash>}, and a stage two levels down
   * names {@code ../../asset.<hash>}.
   *
   * <p>{@code ..} is accepted only as leading segments and only as many as {@code directory} has;
   * the rest must obey {@link #violation(String)} (so no absolute path, backslash, NUL, {@code .}
   * or later {@code ..}). Resolution is by name alone: a later {@code ..} could climb out of a
   * symlinked folder, and the artifact's listing refuses every symlink.
   *
   * @param directory an artifact path of a directory, or {@code ""} for the root; a trailing {@code
   *     /} is ignored
   */
  public static Optional<String> violation(String directory, String relative) {
    if (relative == null || relative.isEmpty()) {
      return Optional.of("is empty");
    }
    int ups = leadingParents(relative);
    Optional<String> rest = violation(relative.substring(3 * ups));
    if (rest.isPresent()) {
      return rest;
    }
    if (ups > depth(directory)) {
      return Optional.of("leaves the artifact root");
    }
    return violation(join(directory, relative, ups));
  }

  /**
   * The artifact path that {@code relative} names from the artifact directory {@code directory}.
   *
   * @throws IllegalArgumentException when {@link #violation(String, String)} has a reason
   */
  public static String resolve(String directory, String relative) {
    Optional<String> why = violation(directory, relative);
    if (why.isPresent()) {
      throw new IllegalArgumentException("\"" + relative + "\" " + why.get());
    }
    return join(directory, relative, leadingParents(relative));
  }

  private static int leadingParents(String relative) {
    int ups = 0;
    while (relative.startsWith("../", 3 * ups)) {
      ups++;
    }
    return ups;
  }

  private static String trimmed(String directory) {
    return directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
  }

  private static int depth(String directory) {
    String dir = trimmed(directory);
    if (dir.isEmpty()) {
      return 0;
    }
    int depth = 1;
    for (int i = 0; i < dir.length(); i++) {
      if (dir.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }

  private static String join(String directory, String relative, int ups) {
    String dir = trimmed(directory);
    for (int i = 0; i < ups; i++) {
      dir = dir.contains("/") ? dir.substring(0, dir.lastIndexOf('/')) : "";
    }
    String rest = relative.substring(3 * ups);
    return dir.isEmpty() ? rest : dir + "/" + rest;
  }

  /** True when the path obeys every rule. */
  public static boolean isValid(String path) {
    return violation(path).isEmpty();
  }

  /** The key under which two paths collide on a case-insensitive file system. */
  public static String caseFoldKey(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) >= 0x80) {
        // Unicode case mappings are not one-to-one (e.g. U+212A KELVIN SIGN folds to 'k').
        return path.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
      }
    }
    // ASCII: one lower-casing folds it, and returns the same string when already lower-case.
    return path.toLowerCase(Locale.ROOT);
  }
}
