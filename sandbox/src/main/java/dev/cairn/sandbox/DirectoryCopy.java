package dev.cairn.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies a directory tree: the one copy the sandbox and the tests that drive it use. */
public final class DirectoryCopy {

  private DirectoryCopy() {}

  /**
   * Copies every directory and file under {@code from} to the same relative place under {@code to},
   * which is made if absent. {@code from} may be on another file system (a jar's), so each name is
   * carried over as text. A file already at a target is an error, never overwritten.
   */
  public static void copyTree(Path from, Path to) {
    try {
      Files.createDirectories(to);
      try (var paths = Files.walk(from)) {
        for (Path p : (Iterable<Path>) paths::iterator) {
          String relative = from.relativize(p).toString();
          if (relative.isEmpty()) {
            continue; // from itself: to, made above
          }
          Path target = to.resolve(relative);
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
