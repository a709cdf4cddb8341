package dev.cairn.core.audit.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import java.util.Iterator;

/**
 * Port: the hash-chained audit log. Appends are conditional on the head's sequence number, so two
 * writers can never produce the same sequence or skip one. Lifecycle transitions append through
 * {@code DeploymentLedger} in the same transaction as the record update; this port appends events
 * that change no record (an override request, an anchor).
 */
public interface AuditLog {

  /** The chain this log writes. */
  String chainId();

  /** The current head ({@link AuditHead#empty} when nothing was written). */
  AuditHead head();

  /** Every entry in ascending sequence order, fetched lazily page by page. */
  Iterator<ObjectNode> entries();

  /**
   * The entry at {@code sequence}, authenticated as {@link #entries()} authenticates each entry, or
   * empty when there is none. This default walks the chain; adapters read the one item.
   */
  default java.util.Optional<ObjectNode> entry(long sequence) {
    for (Iterator<ObjectNode> it = entries(); it.hasNext(); ) {
      ObjectNode e = it.next();
      long s = e.path("sequence").asLong();
      if (s == sequence) {
        return java.util.Optional.of(e);
      }
      if (s > sequence) {
        break;
      }
    }
    return java.util.Optional.empty();
  }

  /** Appends {@code event} as the next entry and returns the sealed entry. */
  ObjectNode append(AuditEvent event);
}
