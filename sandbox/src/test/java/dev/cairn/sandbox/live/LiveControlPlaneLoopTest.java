package dev.cairn.sandbox.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The live control plane's loop ({@link LiveControlPlane#loop}): what a failed tick does, decided
 * by whether the sandbox is stopping. The case CI once met at random (close() interrupting the
 * {@code --reuse} lock check's S3 call, which printed a stack trace and killed the thread) is made
 * here on purpose.
 */
class LiveControlPlaneLoopTest {

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final PrintStream timeline = new PrintStream(written, true, StandardCharsets.UTF_8);

  @Test
  void aTickCutShortByClose_endsTheLoopQuietly() {
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicInteger ticks = new AtomicInteger();

    LiveControlPlane.loop(
        () -> {
          ticks.incrementAndGet();
          // close(): stopping is set, then the interrupt lands inside the SDK call.
          stopping.set(true);
          throw new IllegalStateException("software.amazon.awssdk.core.exception.AbortedException");
        },
        stopping::get,
        () -> true,
        timeline);

    assertThat(ticks).hasValue(1);
    assertThat(written.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aTickThatFailsWhileRunning_isReportedOnTheTimeline_andTheLoopGoesOn() {
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicInteger ticks = new AtomicInteger();

    LiveControlPlane.loop(
        () -> {
          if (ticks.incrementAndGet() == 1) {
            throw new IllegalStateException("S3Proxy: 503 Slow Down");
          }
          stopping.set(true);
        },
        stopping::get,
        () -> true,
        timeline);

    assertThat(ticks).hasValue(2);
    assertThat(written.toString(StandardCharsets.UTF_8))
        .isEqualTo("• error: java.lang.IllegalStateException: S3Proxy: 503 Slow Down\n");
  }

  @Test
  void thePacerStopping_orAnInterruptedPause_endsTheLoop() {
    AtomicInteger ticks = new AtomicInteger();
    LiveControlPlane.loop(
        () -> {
          ticks.incrementAndGet();
          throw new Pacer.Stopped();
        },
        () -> false,
        () -> true,
        timeline);
    assertThat(ticks).hasValue(1);

    LiveControlPlane.loop(ticks::incrementAndGet, () -> false, () -> false, timeline);
    assertThat(ticks).hasValue(2);
    assertThat(written.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
