package dev.cairn.core.verify;

/**
 * How the verifier runs. Secure defaults live here; no option switches off a check of evidence that
 * is present.
 *
 * @param hashThreads threads that hash files in parallel (memory is bounded by threads × 256 KiB)
 * @param requireExpectedDigest fail closed when no ledger {@code artifact_sha256} is supplied (the
 *     deploy pipeline sets this; a developer's local {@code manifest verify} does not)
 * @param requireExpectedContextHash fail closed when no blessed context hash is supplied
 */
public record VerifierOptions(
    int hashThreads, boolean requireExpectedDigest, boolean requireExpectedContextHash) {

  public VerifierOptions {
    if (hashThreads < 1 || hashThreads > 64) {
      throw new IllegalArgumentException("hashThreads must be between 1 and 64");
    }
  }

  /** For the deploy pipeline: every expectation is required. */
  public static VerifierOptions pipeline() {
    return new VerifierOptions(defaultThreads(), true, true);
  }

  /** For local checks: expectations are used when supplied. */
  public static VerifierOptions local() {
    return new VerifierOptions(defaultThreads(), false, false);
  }

  public VerifierOptions withHashThreads(int threads) {
    return new VerifierOptions(threads, requireExpectedDigest, requireExpectedContextHash);
  }

  static int defaultThreads() {
    return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }
}
