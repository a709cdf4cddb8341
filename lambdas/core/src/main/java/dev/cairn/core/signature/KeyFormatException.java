package dev.cairn.core.signature;

/** A key (PEM or OpenPGP) that cannot be read or is of an unaccepted kind or size. */
public final class KeyFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
