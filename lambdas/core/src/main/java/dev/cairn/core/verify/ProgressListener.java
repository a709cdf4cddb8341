package dev.cairn.core.verify;

import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.Gate;

/** Observes a verification as it runs: for CLI progress lines and Lambda logs. */
public interface ProgressListener {

  /** A gate passed. {@code note} says what was checked, e.g. "10,000 files, 1.0 GiB". */
  default void gatePassed(Gate gate, String note) {}

  /** A gate failed; the verification stops here. */
  default void gateFailed(Gate gate, Failure first) {}

  /** Bytes hashed so far out of the total (called at most a few times a second). */
  default void hashed(long bytesDone, long bytesTotal, int filesDone, int filesTotal) {}

  /** Listens to nothing. */
  ProgressListener NONE = new ProgressListener() {};
}
