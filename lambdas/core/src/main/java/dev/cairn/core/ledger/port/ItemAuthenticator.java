package dev.cairn.core.ledger.port;

import dev.cairn.core.ledger.ItemMacs;

/**
 * Port: the control plane's item MAC key (KMS {@code HMAC_256} in AWS). Only principals the control
 * plane's IAM policies name may use it, so a valid MAC says "the control plane wrote this", whoever
 * else can write the table. The message is always a 32-byte SHA-256 digest ({@link ItemMacs}),
 * which keeps it within KMS's 4,096-byte message limit for items of any size.
 */
public interface ItemAuthenticator {

  /** The MAC of {@code digest}. */
  byte[] mac(byte[] digest);

  /**
   * Whether {@code mac} is the MAC of {@code digest} under this key. A MAC that does not match
   * returns {@code false}; failures to reach the key (throttling, access denied) propagate.
   */
  boolean verify(byte[] digest, byte[] mac);
}
