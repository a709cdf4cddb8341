package dev.cairn.core.integrity;

import dev.cairn.core.integrity.port.ArtifactSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code cdk.out} directory on local disk. Symbolic links are listed as such and never followed;
 * the manifest and evidence folder at the root (see {@link ArtifactLayout}) are not listed.
 */
public final class LocalDirectoryArtifactSource implements ArtifactSource {

  private final Path root;
  private final String rootPrefix;
  private final boolean listReserved;
  private final Path verifiedManifest;

  /** A source that leaves out the reserved names of {@link ArtifactLayout} (port contract). */
  public LocalDirectoryArtifactSource(Path root) {
    this(root, false, null);
  }

  private LocalDirectoryArtifactSource(Path root, boolean listReserved, Path verifiedManifest) {
    this.root = root.toAbsolutePath().normalize();
    String r = this.root.toString();
    String separator = this.root.getFileSystem().getSeparator();
    this.rootPrefix = r.endsWith(separator) ? r : r + separator;
    this.listReserved = listReserved;
    this.verifiedManifest = verifiedManifest;
  }

  /**
   * A source for verifying a local {@code cdk.out} against {@code manifestFile}: the reserved names
   * are listed like any other file (so a smuggled {@code cairn-evidence/} file or a second {@code
   * artifact-manifest.json} is an unexpected file, never silently skipped), except the root {@code
   * artifact-manifest.json} when it is the very manifest being verified.
   */
  public static LocalDirectoryArtifactSource forVerification(Path root, Path manifestFile) {
    return new LocalDirectoryArtifactSource(root, true, manifestFile);
  }

  @Override
  public List<Entry> list() throws IOException {
    List<Entry> entries = new ArrayList<>();
    list(entries::add);
    return entries;
  }

  @Override
  public void list(Consumer<Entry> sink) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(root.toString(), null, "not a directory");
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!listReserved
                && !dir.equals(root)
                && ArtifactLayout.isReserved(relative(dir) + "/")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String rel = relative(file);
            if (ArtifactLayout.isReserved(rel)
                && (!listReserved || isVerifiedManifest(file, rel))) {
              return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
              sink.accept(new Entry(rel, Kind.SYMLINK, -1));
            } else if (attrs.isRegularFile()) {
              sink.accept(Entry.file(rel, attrs.size()));
            } else {
              sink.accept(new Entry(rel, Kind.OTHER, -1));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            throw exc;
          }
        });
  }

  @Override
  public InputStream open(String path) throws IOException {
    return Files.newInputStream(resolve(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public ReadableByteChannel openChannel(String path) throws IOException {
    return FileChannel.open(resolve(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  private Path resolve(String path) throws IOException {
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root)) {
      throw new IOException("path escapes the artifact root: " + path);
    }
    return file;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private boolean isVerifiedManifest(Path file, String rel) {
    if (verifiedManifest == null || !rel.equals(ArtifactLayout.MANIFEST_FILE)) {
      return false;
    }
    try {
      return Files.isSameFile(file, verifiedManifest);
    } catch (IOException e) {
      return false;
    }
  }

  private String relative(Path p) {
    // The walk's paths are the root's, resolved name by name: the relative path is the suffix.
    String whole = p.toString();
    String rel =
        whole.startsWith(rootPrefix)
            ? whole.substring(rootPrefix.length())
            : p.equals(root) ? "" : root.relativize(p).toString();
    String separator = p.getFileSystem().getSeparator();
    return separator.equals("/") ? rel : rel.replace(separator, "/");
  }
}
