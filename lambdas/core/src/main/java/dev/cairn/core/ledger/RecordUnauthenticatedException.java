package dev.cairn.core.ledger;

import dev.cairn.core.failure.ItemIntegrityFailure;

/**
 * A stored record or audit item failed its MAC check and is refused before anything decides on it.
 * {@link #failure()} is the stable code; {@link #itemKey()} names the item ({@code service/commit}
 * or {@code chain:sequence}); {@link #reason()} says which check failed.
 */
public final class RecordUnauthenticatedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Which check failed. */
  public enum Reason {
    /** The item carries no {@code item_mac} (written outside the control plane, or legacy). */
    MAC_MISSING,
    /** {@code item_mac} is not base64 of a MAC. */
    MAC_MALFORMED,
    /** The MAC does not verify over the item as stored: some attribute changed. */
    MAC_MISMATCH
  }

  private final ItemIntegrityFailure failure;
  private final String itemKey;
  private final Reason reason;

  public RecordUnauthenticatedException(
      ItemIntegrityFailure failure, String itemKey, Reason reason) {
    super(failure.name() + ": " + itemKey + " (" + reason + "): " + failure.summary());
    this.failure = failure;
    this.itemKey = itemKey;
    this.reason = reason;
  }

  public ItemIntegrityFailure failure() {
    return failure;
  }

  public String itemKey() {
    return itemKey;
  }

  public Reason reason() {
    return reason;
  }
}
