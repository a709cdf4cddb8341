package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.OptionalLong;

/**
 * Recomputes an audit chain from its entries, streaming: one entry in memory at a time. Entries
 * must come in the order they are stored (ascending {@code sequence}); the verifier does not sort,
 * because the order is part of what it checks.
 *
 * <p>For each entry, in this order:
 *
 * <ol>
 *   <li>it is an object with {@code chain_id}, {@code sequence} (an integer from 0 to 2^63 - 1,
 *       parsed strictly by {@link AuditSequence}: never modulo 2^64), {@code previous_log_hash} and
 *       {@code log_hash} ({@code MALFORMED_ENTRY});
 *   <li>it belongs to the chain of the first entry ({@code WRONG_CHAIN});
 *   <li>its {@code sequence} is the previous one + 1, starting at 1 ({@code SEQUENCE_GAP} when
 *       higher, {@code SEQUENCE_OUT_OF_ORDER} when not);
 *   <li>its {@code log_hash} is the hash of its content ({@code HASH_MISMATCH});
 *   <li>its {@code previous_log_hash} is the previous entry's {@code log_hash} ({@code BAD_LINK}).
 * </ol>
 *
 * The first failure stops verification and is reported with its sequence number.
 */
public final class AuditChainVerifier {

  private AuditChainVerifier() {}

  /** Verifies entries in stored order. */
  public static AuditVerification verify(Iterator<? extends JsonNode> entries) {
    Chain chain = new Chain();
    while (entries.hasNext()) {
      AuditVerification broken = chain.next(EntryFacts.of(entries.next()));
      if (broken != null) {
        return broken;
      }
    }
    return chain.verdict();
  }

  /**
   * The checks, one entry at a time in stored order: what {@link #verify(Iterator)} does, for
   * callers that compute each entry's facts elsewhere (in parallel, from bytes).
   */
  public static final class Chain {
    private long expected = 1;
    private String previousHash = AuditChain.GENESIS_HASH;
    private String chainId;
    private long count;

    public Chain() {}

    /**
     * The chain as it stands after {@code count} entries held, the last with {@code previousHash};
     * {@code chainId} is null before the first entry.
     */
    static Chain resume(long count, String previousHash, String chainId) {
      Chain c = new Chain();
      c.count = count;
      c.expected = count + 1;
      c.previousHash = previousHash;
      c.chainId = chainId;
      return c;
    }

    long count() {
      return count;
    }

    String previousHash() {
      return previousHash;
    }

    String chainId() {
      return chainId;
    }

    /** Checks the next entry; the first failure, or null when it holds. */
    public AuditVerification next(EntryFacts entry) {
      // 1. shape
      if (!entry.shaped()) {
        return AuditVerification.broken(
            count,
            expected,
            AuditVerification.Reason.MALFORMED_ENTRY,
            "entry after sequence "
                + (expected - 1)
                + " lacks chain_id, sequence, previous_log_hash or log_hash");
      }
      OptionalLong parsed = entry.sequence();
      if (parsed.isEmpty()) {
        return AuditVerification.broken(
            count,
            expected,
            AuditVerification.Reason.MALFORMED_ENTRY,
            "entry after sequence "
                + (expected - 1)
                + " has sequence "
                + entry.describeSequence()
                + ", not "
                + AuditSequence.EXPECTED);
      }
      long sequence = parsed.getAsLong();
      // 2. chain
      String entryChain = entry.chainId();
      if (chainId == null) {
        chainId = entryChain;
      } else if (!chainId.equals(entryChain)) {
        return AuditVerification.broken(
            count,
            sequence,
            AuditVerification.Reason.WRONG_CHAIN,
            "entry " + sequence + " belongs to chain " + entryChain + ", not " + chainId);
      }
      // 3. order
      if (sequence != expected) {
        if (sequence > expected) {
          return AuditVerification.broken(
              count,
              expected,
              AuditVerification.Reason.SEQUENCE_GAP,
              "entry " + expected + " is missing (next entry found is " + sequence + ")");
        }
        return AuditVerification.broken(
            count,
            sequence,
            AuditVerification.Reason.SEQUENCE_OUT_OF_ORDER,
            "entry " + sequence + " appears where " + expected + " was expected");
      }
      // 4. content
      String stated = entry.statedHash();
      String actual = entry.contentHash();
      if (!entry.statedHashWellFormed() || !actual.equals(stated)) {
        return AuditVerification.broken(
            count,
            sequence,
            AuditVerification.Reason.HASH_MISMATCH,
            "entry "
                + sequence
                + " was modified: log_hash "
                + stated
                + ", content hashes to "
                + actual);
      }
      // 5. link
      String link = entry.link();
      if (!link.equals(previousHash)) {
        return AuditVerification.broken(
            count,
            sequence,
            AuditVerification.Reason.BAD_LINK,
            "entry "
                + sequence
                + " links to "
                + link
                + ", but entry "
                + (sequence - 1)
                + " has log_hash "
                + previousHash);
      }
      previousHash = stated;
      expected++;
      count++;
      return null;
    }

    /** The verdict when every entry so far held. */
    public AuditVerification verdict() {
      return AuditVerification.ok(count, previousHash);
    }
  }

  /**
   * Verifies entries and then that {@code head} names the last one (so entries removed from the end
   * are caught too).
   */
  public static AuditVerification verify(Iterator<? extends JsonNode> entries, AuditHead head) {
    AuditVerification v = verify(entries);
    if (!v.valid()) {
      return v;
    }
    if (head.sequence() != v.entries() || !head.logHash().equals(v.headHash())) {
      return AuditVerification.broken(
          v.entries(),
          Math.min(head.sequence(), v.entries() + 1),
          AuditVerification.Reason.HEAD_MISMATCH,
          "chain head says sequence "
              + head.sequence()
              + " with log_hash "
              + head.logHash()
              + ", entries end at "
              + v.entries()
              + " with "
              + v.headHash());
    }
    return v;
  }
}
