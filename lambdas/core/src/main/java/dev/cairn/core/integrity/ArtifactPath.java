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
    if (path == null || path.isEmpty()) {
      return Optional.of("is empty");
    }
    if (path.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < path.length(); i++) {
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
      if (Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c)
              && i + 1 < path.length()
              && Character.isLowSurrogate(path.charAt(i + 1)))
          && !(Character.isLowSurrogate(c)
              && i > 0
              && Character.isHighSurrogate(path.charAt(i - 1)))) {
        return Optional.of("contains an unpaired surrogate");
      }
    }
    if (path.startsWith("/")) {
      return Optional.of("is absolute");
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
      return Optional.of("has a drive letter");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return Optional.of("has an empty segment");
      }
      if (segment.equals("..")) {
        return Optional.of("contains a '..' segment");
      }
      if (segment.equals(".")) {
        return Optional.of("contains a '.' segment");
      }
    }
    if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
      return Optional.of("is not NFC-normalised");
    }
    return Optional.empty();
  }

  /** True when the path obeys every rule. */
  public static boolean isValid(String path) {
    return violation(path).isEmpty();
  }

  /** The key under which two paths collide on a case-insensitive file system. */
  public static String caseFoldKey(String path) {
    return path.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }
}
