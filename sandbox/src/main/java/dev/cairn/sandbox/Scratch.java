package dev.cairn.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A temporary directory that one command (or one step of it) owns: made under {@code
 * java.io.tmpdir}, and removed with everything in it when its owner ends, by {@link #close()} on a
 * normal end or a failure, or by a shutdown hook when the JVM stops first (Ctrl-C, SIGTERM). Every
 * temporary directory the sandbox makes is one of these, so that {@code cairn sandbox run}, run
 * every day, leaves nothing in {@code /tmp} (docs/decisions/2026-12-07-scratch-directories.md).
 *
 * <p>Removal never follows a symbolic link: a link inside the directory is removed as a link, and
 * whatever it points to stays.
 */
public final class Scratch implements AutoCloseable {

  private final Path path;
  private final Thread hook;
  private boolean closed;

  private Scratch(Path path) {
    this.path = path;
    this.hook = new Thread(this::removeAtShutdown, "cairn-scratch-" + path.getFileName());
  }

  /**
   * A new, empty directory {@code <java.io.tmpdir>/<prefix><random>}, removed at the latest when
   * the JVM stops.
   */
  public static Scratch create(String prefix) throws IOException {
    Scratch s = new Scratch(Files.createTempDirectory(prefix));
    try {
      Runtime.getRuntime().addShutdownHook(s.hook);
    } catch (IllegalStateException shuttingDown) {
      deleteTree(s.path);
      throw shuttingDown;
    }
    return s;
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** Removes the directory and everything in it (links as links); the shutdown hook goes too. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is stopping: the hook runs (or ran) as well; removing twice is harmless.
    }
    deleteTree(path);
  }

  private void removeAtShutdown() {
    try {
      deleteTree(path);
    } catch (IOException | UncheckedIOException e) {
      // Nobody is left to tell but the terminal.
      System.err.println("cairn: could not remove the temporary directory " + path + ": " + e);
    }
  }

  /**
   * Deletes {@code root} and everything under it, without following symbolic links: a link (to a
   * file or a directory) is deleted itself, never its target. A {@code root} that is gone already
   * is no error.
   */
  public static void deleteTree(Path root) throws IOException {
    // At shutdown the command's own threads still run and may add a file between the walk's look
    // at a directory and its removal: walk again, a few times, before giving up.
    for (int attempt = 1; ; attempt++) {
      try {
        deleteTreeOnce(root);
        return;
      } catch (DirectoryNotEmptyException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private static void deleteTreeOnce(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // walkFileTree without FOLLOW_LINKS reports a link as a file: visitFile deletes the link.
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // removed meanwhile
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
