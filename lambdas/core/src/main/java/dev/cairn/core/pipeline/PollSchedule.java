package dev.cairn.core.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * When to look at CloudFormation again: the deployer answers each poll with {@code
 * next_poll_seconds}, and the state machine waits that long (within its own bounds, {@link
 * #MIN_SECONDS}..{@link #MAX_SECONDS}, and its 60-minute phase limit).
 *
 * <p>While an operation is within its expected time ({@code CloudFormationTimes}, from the change
 * set's resources and the template's dependencies), the next poll is when it is expected to end.
 * Once it is late, polls start short and back off: a quarter of the time it has taken so far, so
 * the dead time after it ends stays a fraction of its length while the number of polls grows only
 * with the logarithm of the delay. Stateless: the time taken comes from CloudFormation's own
 * timestamps ({@code CreationTime} of a change set, {@code LastUpdatedTime} or {@code CreationTime}
 * of a stack), so a repeated or retried poll answers the same.
 */
public final class PollSchedule {

  /** The shortest wait the state machine accepts. */
  public static final int MIN_SECONDS = 1;

  /**
   * The longest wait the state machine accepts: with it, a phase that stops polling at 59 minutes
   * of waiting never runs past its 60-minute limit.
   */
  public static final int MAX_SECONDS = 60;

  /** The first poll of a late operation, and of one whose timing is unknown. */
  static final int SHORT_SECONDS = 2;

  private PollSchedule() {}

  /**
   * The seconds to wait before the next poll of an operation expected to take {@code expected} that
   * started at {@code since} (null: unknown), at {@code now}.
   */
  public static int nextWait(Duration expected, Instant since, Instant now) {
    if (since == null || expected.isZero()) {
      return SHORT_SECONDS;
    }
    Duration taken = Duration.between(since, now);
    if (taken.isNegative()) {
      taken = Duration.ZERO;
    }
    long seconds;
    if (taken.compareTo(expected) < 0) {
      seconds = ceilSeconds(expected.minus(taken));
    } else {
      seconds = Math.max(SHORT_SECONDS, ceilSeconds(taken.dividedBy(4)));
    }
    return (int) Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, seconds));
  }

  private static long ceilSeconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }
}
