package dev.cairn.core.override.port;

import java.time.Instant;

/** Port: single-use nonces. A claim is a conditional write; the second claim of a nonce fails. */
public interface NonceStore {

  /** Claims {@code nonce} until {@code keepUntil}; false when it was already claimed. */
  boolean claim(String nonce, Instant keepUntil);
}
