package dev.cairn.core.audit;

/**
 * The head of one audit chain: the last sequence number and its {@code log_hash}. Stored as item
 * {@code sequence = 0} of the chain's partition and moved in the same transaction as every append.
 */
public record AuditHead(String chainId, long sequence, String logHash, String timestamp) {
  public AuditHead {
    if (chainId == null || chainId.isBlank() || sequence < 0 || logHash == null) {
      throw new IllegalArgumentException("chain_id, sequence and log_hash are required");
    }
  }

  /** The head of an empty chain. */
  public static AuditHead empty(String chainId) {
    return new AuditHead(chainId, 0, AuditChain.GENESIS_HASH, null);
  }
}
