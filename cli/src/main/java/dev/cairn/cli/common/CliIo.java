package dev.cairn.cli.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * File access for commands, with errors a person can act on. Every failure is a {@link
 * UsageException} (exit code 2) naming the file and what was wrong.
 */
public final class CliIo {

  private CliIo() {}

  /** A problem with the command line or the files it names: exit code 2. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }

    public UsageException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static byte[] readBytes(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UsageException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  public static String readString(Path file, String what) {
    return new String(readBytes(file, what), StandardCharsets.UTF_8);
  }

  /** Writes atomically (temp file + rename) so a crash never leaves half a file. */
  public static void writeString(Path file, String content, boolean privateFile) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".cairn-", ".tmp");
      if (privateFile) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // Not a POSIX file system; the platform default applies.
        }
      }
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UsageException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Refuses to replace an existing file unless {@code force}. */
  public static void requireAbsentOrForced(Path file, boolean force) {
    if (!force && Files.exists(file)) {
      throw new UsageException(
          file + " already exists; pass --force to replace it",
          new FileAlreadyExistsException(file.toString()));
    }
  }

  /** Human-readable byte count: 1.0 GiB. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    do {
      v /= 1024;
      u++;
    } while (v >= 1024 && u < units.length - 1);
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
