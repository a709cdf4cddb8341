package dev.cairn.sandbox.live;

import dev.cairn.asl.ExecutionListener;
import dev.cairn.asl.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Paces virtual time to real time: virtual = start + (real elapsed × scale). The executor moves its
 * clock at once through waits, bakes and polls; each history event waits here until real time has
 * caught up with the event's timestamp, so an execution unfolds at {@code scale} times real speed.
 * While it waits it releases the world's lock, so the local endpoints keep answering.
 */
final class Pacer implements ExecutionListener {

  private final Instant virtualStart;
  private final long realStartNanos;
  private final double scale;
  private final ReentrantLock lock;

  Pacer(Instant virtualStart, double scale, ReentrantLock lock) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("--time-scale must be positive, not " + scale);
    }
    this.virtualStart = virtualStart;
    this.realStartNanos = System.nanoTime();
    this.scale = scale;
    this.lock = lock;
  }

  /** The virtual instant real time has reached. */
  Instant now() {
    long elapsed = System.nanoTime() - realStartNanos;
    return virtualStart.plusNanos((long) (elapsed * scale));
  }

  @Override
  public void onEvent(HistoryEvent event) {
    waitUntil(event.timestamp());
  }

  /** Blocks, with the world's lock released, until real time reaches virtual {@code t}. */
  void waitUntil(Instant t) {
    long due = realStartNanos + (long) (Duration.between(virtualStart, t).toNanos() / scale);
    long left = due - System.nanoTime();
    if (left <= 0) {
      return;
    }
    int holds = lock.getHoldCount();
    for (int i = 0; i < holds; i++) {
      lock.unlock();
    }
    try {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopped();
    } finally {
      for (int i = 0; i < holds; i++) {
        lock.lock();
      }
    }
  }

  /** The live control plane is stopping: the running execution is abandoned mid-way. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("the sandbox is stopping");
    }
  }
}
