package dev.cairn.core.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

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

  /** Opens a regular file's bytes. The caller closes the stream. */
  InputStream open(String path) throws IOException;

  /** Where this artifact lives, for messages (a directory or {@code s3://bucket/prefix/}). */
  String describe();

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
