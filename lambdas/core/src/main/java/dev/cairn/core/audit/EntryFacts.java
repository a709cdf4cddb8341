package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.Sha256;
import java.util.OptionalLong;

/**
 * What {@link AuditChainVerifier} reads from one entry: its shape, chain, sequence, stated and
 * recomputed {@code log_hash}, and link. Two sources give the same facts for the same entry: a
 * parsed tree ({@link #of(JsonNode)}, the reference), and {@link AuditLineScanner}, which reads
 * them straight from an export line's bytes so that many lines can be hashed in parallel.
 */
public interface EntryFacts {

  /** An object with textual {@code chain_id}, {@code previous_log_hash} and {@code log_hash}. */
  boolean shaped();

  /** The sequence, or empty when it is not {@link AuditSequence#EXPECTED}. */
  OptionalLong sequence();

  /** The raw sequence as a message shows it ({@link AuditSequence#describe}). */
  String describeSequence();

  String chainId();

  /** {@code log_hash} as the entry states it. */
  String statedHash();

  /** {@link #statedHash} is 64 lower-case hex digits. */
  default boolean statedHashWellFormed() {
    return Sha256.isHex64(statedHash());
  }

  /** The hash of the entry's content: {@link AuditChain#logHash}. */
  String contentHash();

  /** {@code previous_log_hash}. */
  String link();

  /** {@code log_hash} when it is a string, else null (read for anchors, whatever the shape). */
  String textualLogHash();

  /** The facts of a parsed entry; the content hash is computed when first asked for. */
  static EntryFacts of(JsonNode node) {
    return new EntryFacts() {
      private String contentHash;

      @Override
      public boolean shaped() {
        return node instanceof ObjectNode entry
            && entry.path("chain_id").isTextual()
            && entry.path("previous_log_hash").isTextual()
            && entry.path("log_hash").isTextual();
      }

      @Override
      public OptionalLong sequence() {
        return AuditSequence.parse(node.get("sequence"));
      }

      @Override
      public String describeSequence() {
        return AuditSequence.describe(node.get("sequence"));
      }

      @Override
      public String chainId() {
        return node.get("chain_id").asText();
      }

      @Override
      public String statedHash() {
        return node.get("log_hash").asText();
      }

      @Override
      public String contentHash() {
        if (contentHash == null) {
          contentHash = AuditChain.logHash((ObjectNode) node);
        }
        return contentHash;
      }

      @Override
      public String link() {
        return node.get("previous_log_hash").asText();
      }

      @Override
      public String textualLogHash() {
        JsonNode h = node.path("log_hash");
        return h.isTextual() ? h.asText() : null;
      }
    };
  }

  /** Facts computed ahead (by a scanner on another thread); every entry is shaped. */
  record Computed(
      long sequenceValue,
      String chainId,
      String statedHash,
      boolean statedHashWellFormed,
      String contentHash,
      String link)
      implements EntryFacts {

    @Override
    public boolean shaped() {
      return true;
    }

    @Override
    public OptionalLong sequence() {
      return OptionalLong.of(sequenceValue);
    }

    @Override
    public String describeSequence() {
      return Long.toString(sequenceValue);
    }

    @Override
    public String textualLogHash() {
      return statedHash;
    }
  }
}
