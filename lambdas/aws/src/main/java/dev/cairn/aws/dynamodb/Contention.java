package dev.cairn.aws.dynamodb;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry policy for optimistic writes that lost a race: exponential backoff with full jitter ({@code
 * sleep = random(0, min(cap, base * 2^attempt))}), up to a fixed number of attempts.
 */
public record Contention(int maxAttempts, long baseMillis, long capMillis) {

  public static Contention defaults() {
    return new Contention(200, 2, 200);
  }

  /** Sleeps before the next attempt, or rethrows {@code cause} when attempts are used up. */
  public void backoffOrThrow(int attempt, RuntimeException cause) {
    if (attempt >= maxAttempts) {
      throw new IllegalStateException(
          "gave up after " + attempt + " attempts under write contention: " + cause.getMessage(),
          cause);
    }
    long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
    long sleep = ThreadLocalRandom.current().nextLong(ceiling + 1);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
