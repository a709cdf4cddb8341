package dev.cairn.asl;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that only moves when told to. Wait states, retry back-off and task durations
 * advance it, so an hour of state machine time runs in milliseconds.
 */
public final class VirtualClock extends Clock {
  private Instant now;

  public VirtualClock(Instant start) {
    this.now = start;
  }

  /** Advances the clock; a negative duration is rejected. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("cannot move a clock backwards: " + duration);
    }
    now = now.plus(duration);
  }

  /** Moves the clock to {@code instant}; used when forked branches join. */
  public void set(Instant instant) {
    now = instant;
  }

  /** A new clock starting at this clock's instant, for a Parallel branch or Map iteration. */
  public VirtualClock fork() {
    return new VirtualClock(now);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new UnsupportedOperationException("a virtual clock is always UTC");
    }
    return this;
  }
}
