package dev.cairn.core.sweep;

import java.time.Duration;
import java.util.Objects;

/**
 * The sweeper's settings.
 *
 * @param candidateBucket where the first environment's artifacts are
 * @param releaseBucket where promoted artifacts are
 * @param neverPromotedAfter the spec's "X days" of {@code ArtifactNeverPromoted}
 * @param ttl how far a live entry's {@code expire_at} is pushed (the spec's 90 days)
 * @param maxItemsPerSweep work bound per invocation (the rest is due again in 2 minutes)
 */
public record SweepConfig(
    String candidateBucket,
    String releaseBucket,
    Duration neverPromotedAfter,
    Duration ttl,
    int maxItemsPerSweep) {

  /** The config's {@code never_promoted_days} default (the stack passes NEVER_PROMOTED_DAYS). */
  public static final Duration DEFAULT_NEVER_PROMOTED_AFTER = Duration.ofDays(7);

  public SweepConfig {
    Objects.requireNonNull(candidateBucket, "candidateBucket");
    Objects.requireNonNull(releaseBucket, "releaseBucket");
    Objects.requireNonNull(neverPromotedAfter, "neverPromotedAfter");
    Objects.requireNonNull(ttl, "ttl");
    if (maxItemsPerSweep < 1) {
      throw new IllegalArgumentException("maxItemsPerSweep must be positive");
    }
  }

  /** Defaults: never promoted after 14 days, TTL 90 days, at most 200 items per sweep. */
  public static SweepConfig defaults(String candidateBucket, String releaseBucket) {
    return new SweepConfig(
        candidateBucket,
        releaseBucket,
        DEFAULT_NEVER_PROMOTED_AFTER,
        dev.cairn.core.ledger.CandidateRecords.DEFAULT_TTL,
        200);
  }
}
