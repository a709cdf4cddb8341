package dev.cairn.core.integrity.port;

import dev.cairn.core.integrity.ArtifactLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * Port: the files of one artifact (a local {@code cdk.out} directory, or an S3 prefix), listed and
 * opened as streams. Implementations never buffer whole files.
 *
 * <p>Paths are relative to the artifact root and use {@code /}. The reserved names of {@link
 * ArtifactLayout} (the manifest itself, Cairn's evidence folder) are not part of the artifact and
 * must not be returned.
 */
public interface ArtifactSource {

  /** Every entry of the artifact, including ones the verifier will refuse (symlinks, others). */
  List<Entry> list() throws IOException;

  /**
   * Every entry of the artifact, handed to {@code sink} as it is found, so a consumer (the hashing
   * threads) can start before the listing ends. Sources that list incrementally override this.
   */
  default void list(Consumer<Entry> sink) throws IOException {
    list().forEach(sink);
  }

  /** Opens a regular file's bytes. The caller closes the stream. */
  InputStream open(String path) throws IOException;

  /**
   * Opens a regular file's bytes as a channel, for hashing into a direct buffer. Sources that can
   * read without an intermediate heap copy (a local {@code FileChannel}) override this.
   */
  default ReadableByteChannel openChannel(String path) throws IOException {
    return Channels.newChannel(open(path));
  }

  /** Where this artifact lives, for messages (a directory or {@code s3://bucket/prefix/}). */
  String describe();

  /**
   * The store's version of each file this source opened (S3 {@code VersionId}), by path, as the
   * store answered the read: the evidence of exactly which bytes were hashed. Empty for a store
   * without versions (a local directory, an unversioned bucket).
   */
  default java.util.Map<String, String> versionsRead() {
    return java.util.Map.of();
  }

  /** One listed entry. {@code size} is -1 when unknown. */
  record Entry(String path, Kind kind, long size) {
    public Entry {
      if (path == null || kind == null) {
        throw new IllegalArgumentException("path and kind are required");
      }
    }

    public static Entry file(String path, long size) {
      return new Entry(path, Kind.FILE, size);
    }
  }

  /** What an entry is. Only {@link #FILE} may be part of an artifact. */
  enum Kind {
    FILE,
    SYMLINK,
    OTHER
  }
}
