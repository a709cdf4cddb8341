package dev.cairn.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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

  /**
   * What a command reads, with the most it will read. A document larger than its limit is refused
   * before a byte is read: a hostile or mistaken 3 GiB file costs a stat, not an OutOfMemoryError.
   */
  public enum Input {
    TRUST_POLICY("trust policy", 1 << 20),
    OVERRIDE_REQUEST("override request", 1 << 20),
    /**
     * One line per anchoring run (every 10 minutes): roughly half a year of SNS notifications, and
     * what a 256 MiB heap holds as JSON trees. Longer spans: a period at a time, or the bucket.
     */
    ANCHORS_FILE("anchors file", 64 << 20),
    /** The parser's own limit ({@code ManifestParser.MAX_MANIFEST_BYTES}). */
    MANIFEST("manifest", 32 << 20),
    CONFIGURATION("configuration", 1 << 20),
    PRIVATE_KEY("private key", 1 << 20),
    PUBLIC_KEY("public key", 1 << 20),
    OPENPGP_SECRET_KEY("OpenPGP secret key", 1 << 20),
    /** Step Functions' own limit on a definition is 1 MiB; inputs 256 KiB. */
    STATE_MACHINE_DEFINITION("definition", 1 << 20),
    STATE_MACHINE_INPUT("input", 1 << 20),
    MOCK_CONFIG("mock config", 16 << 20),
    /** A detached signature; checked again, more tightly, by its command. */
    SIGNATURE("signature", 1 << 20),
    /** An SSH allowed-signers file or an armored OpenPGP keyring. */
    ALLOWED_SIGNERS("allowed signers file", 4 << 20);

    private final String what;
    private final int maxBytes;

    Input(String what, int maxBytes) {
      this.what = what;
      this.maxBytes = maxBytes;
    }

    /** How messages name it: "trust policy". */
    public String what() {
      return what;
    }

    public int maxBytes() {
      return maxBytes;
    }
  }

  /**
   * The one checked way to read an input file whole. In this order: it exists; it is a regular file
   * (a FIFO, device or directory would block or never end); it is within {@code kind}'s limit. Then
   * at most limit + 1 bytes are read, so a file that grows after the check is still refused.
   */
  public static byte[] readBytes(Path file, Input kind) {
    long size = requireRegularFile(file, kind.what());
    requireWithin(file, kind, size);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(kind.maxBytes() + 1);
      requireWithin(file, kind, bytes.length);
      return bytes;
    } catch (NoSuchFileException e) {
      throw new UsageException(kind.what() + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UsageException(
          "cannot read " + kind.what() + " " + file + ": " + e.getMessage(), e);
    }
  }

  public static String readString(Path file, Input kind) {
    return new String(readBytes(file, kind), StandardCharsets.UTF_8);
  }

  /**
   * For a file that is streamed rather than read whole (the audit export): it exists and is a
   * regular file. Returns its size.
   */
  public static long requireRegularFile(Path file, String what) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new UsageException(what + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
    if (!attributes.isRegularFile()) {
      throw new UsageException(
          what
              + " "
              + file
              + " is not a regular file ("
              + (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device")
              + ")");
    }
    return attributes.size();
  }

  private static void requireWithin(Path file, Input kind, long size) {
    if (size > kind.maxBytes()) {
      throw new UsageException(
          kind.what()
              + " "
              + file
              + " is larger than the "
              + bytes(kind.maxBytes())
              + " limit for a "
              + kind.what()
              + (size > kind.maxBytes() + 1L ? " (" + bytes(size) + ")" : ""));
    }
  }

  /** Writes atomically (temp file + rename) so a crash never leaves half a file. */
  public static void writeString(Path file, String content, boolean privateFile) {
    write(file, content.getBytes(StandardCharsets.UTF_8), privateFile);
  }

  /** Writes bytes atomically, as {@link #writeString}. */
  public static void writeBytes(Path file, byte[] content) {
    write(file, content, false);
  }

  private static void write(Path file, byte[] content, boolean privateFile) {
    try {
      writeAtomically(file, privateFile, out -> out.write(content));
    } catch (IOException e) {
      throw new UsageException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** What {@link #writeAtomically} writes into the temporary file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(java.io.OutputStream out) throws IOException;
  }

  /**
   * Writes {@code file} atomically: {@code content} goes to a temporary file beside it ({@code
   * .cairn-*.tmp}, owner-only when {@code privateFile}), which is then renamed over it. A reader
   * sees the old file or the whole new one. If anything fails, the file is as it was and the
   * temporary file is gone: a failed command leaves nothing behind.
   */
  public static void writeAtomically(Path file, boolean privateFile, Content content)
      throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".cairn-", ".tmp");
    try {
      if (privateFile) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // Not a POSIX file system; the platform default applies.
        }
      }
      try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
        content.writeTo(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException notDeleted) {
        e.addSuppressed(notDeleted);
      }
      throw e;
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
