package dev.cairn.core.anchor;

/** The audit chain disagrees with an anchor already written: it was rewritten after anchoring. */
public final class AnchorMismatch extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AnchorMismatch(String message) {
    super(message);
  }
}
