package dev.cairn.core.ledger.port;

import dev.cairn.core.ledger.RecordUnauthenticatedException;

/**
 * Port: what happens when a stored item fails its MAC check, besides the refusal itself: an alert
 * to the operators and an audit entry naming the item. Called once per refused read, by the adapter
 * that read it.
 */
public interface IntegrityAlerts {

  /** Raises the alert and records the audit entry for {@code refusal}. */
  void unauthenticated(RecordUnauthenticatedException refusal);
}
