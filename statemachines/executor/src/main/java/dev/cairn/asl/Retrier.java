package dev.cairn.asl;

import java.time.Duration;
import java.util.Random;

/**
 * One Retrier (spec "Retrying after error"), with the spec's defaults filled in: IntervalSeconds 1,
 * MaxAttempts 3, BackoffRate 2.0, no MaxDelaySeconds (infinite), JitterStrategy NONE.
 */
record Retrier(
    ErrorEquals errorEquals,
    double intervalSeconds,
    int maxAttempts,
    double backoffRate,
    double maxDelaySeconds,
    boolean fullJitter) {

  /**
   * IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds, with optional full jitter.
   */
  Duration backoff(int attempt, Random random) {
    double delay = Math.min(intervalSeconds * Math.pow(backoffRate, attempt), maxDelaySeconds);
    if (fullJitter) {
      delay = random.nextDouble() * delay;
    }
    return Duration.ofMillis(Math.round(delay * 1000));
  }
}
