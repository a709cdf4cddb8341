package dev.cairn.cli.context;

import java.util.Optional;

/** Port: where blessed contexts live ({@code s3://<cdk-contexts>/{env}/...}). */
public interface BlessedContextStore {

  /** Writes {@code key} only if it does not exist yet (dated files are immutable). */
  void putNew(String key, byte[] body);

  /** Writes or replaces {@code key} (the {@code latest} pointer). */
  void put(String key, byte[] body);

  /** The object's bytes, or empty when there is no such key. */
  Optional<byte[]> get(String key);
}
