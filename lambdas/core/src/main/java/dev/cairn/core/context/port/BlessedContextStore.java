package dev.cairn.core.context.port;

import java.util.Optional;

/**
 * Port: the contexts bucket ({@code s3://<cdk-contexts>/{env}/...}), versioned. The bless flow
 * writes it (role {@code cdk-context-generator} only); CI and the verifier read it, the verifier a
 * context only at the exact version the manifest names.
 */
public interface BlessedContextStore {

  /**
   * Writes {@code key} only if it does not exist yet (dated files are immutable) and returns the
   * object's version id (null when the store keeps no versions). An identical existing object is
   * accepted (a retried write whose first attempt landed) and its version id returned.
   */
  String putNew(String key, byte[] body);

  /** Writes or replaces {@code key} (the {@code latest} pointer). */
  void put(String key, byte[] body);

  /** The current bytes of {@code key}, or empty when there is no such key. */
  Optional<byte[]> get(String key);

  /**
   * The bytes of exactly {@code versionId} of {@code key}, or empty when there is no such version.
   */
  Optional<byte[]> get(String key, String versionId);
}
