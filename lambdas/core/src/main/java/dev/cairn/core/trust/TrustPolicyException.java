package dev.cairn.core.trust;

/** A trust policy that cannot be used: unreadable, malformed, or with an unusable key. */
public final class TrustPolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrustPolicyException(String message) {
    super(message);
  }

  public TrustPolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
