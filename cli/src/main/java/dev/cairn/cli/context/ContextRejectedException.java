package dev.cairn.cli.context;

/** A fetched context failed verification; nothing was written. */
public final class ContextRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the context was refused. Stable names: CI logs and tests match on them. */
  public enum Reason {
    /** No blessed context for the environment (or the requested date). */
    MISSING_CONTEXT,
    /** The {@code .context.sha256} file is missing. */
    MISSING_HASH,
    /** The hash file is not {@code <64 hex> <name>}. */
    MALFORMED_HASH,
    /** The context's SHA-256 differs from the hash file. */
    HASH_MISMATCH,
    /** No signature of the kind the trusted key needs ({@code .sig} or {@code .asc}). */
    MISSING_SIGNATURE,
    /** The signature does not verify under the trusted key. */
    SIGNATURE_INVALID,
    /** The context differs from the hash the caller expected. */
    UNEXPECTED_HASH,
    /** {@code {env}/latest.bless.json} does not name a dated bless and its version. */
    MALFORMED_POINTER,
    /** The bless was revoked ({@code .context.json.revoked} exists). */
    REVOKED
  }

  private final Reason reason;

  public ContextRejectedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
