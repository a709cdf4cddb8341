package dev.cairn.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

  private static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  @Test
  void nextWait_whileWithinTheExpectedTime_isWhenItShouldEnd() {
    assertThat(PollSchedule.nextWait(Duration.ofSeconds(30), T0, T0)).isEqualTo(30);
    assertThat(PollSchedule.nextWait(Duration.ofMillis(29_500), T0, T0.plusSeconds(10)))
        .isEqualTo(20);
  }

  @Test
  void nextWait_onceLate_startsShortAndBacksOffWithTheTimeTaken() {
    Duration expected = Duration.ofSeconds(20);
    assertThat(PollSchedule.nextWait(expected, T0, T0.plusSeconds(20))).isEqualTo(5);
    assertThat(PollSchedule.nextWait(expected, T0, T0.plusSeconds(40))).isEqualTo(10);
    assertThat(PollSchedule.nextWait(expected, T0, T0.plusSeconds(160))).isEqualTo(40);
    assertThat(PollSchedule.nextWait(Duration.ofSeconds(1), T0, T0.plusSeconds(1))).isEqualTo(2);
  }

  @Test
  void nextWait_staysWithinTheStateMachinesBounds() {
    assertThat(PollSchedule.nextWait(Duration.ofMinutes(10), T0, T0)).isEqualTo(60);
    assertThat(PollSchedule.nextWait(Duration.ofSeconds(5), T0, T0.plusSeconds(3600)))
        .isEqualTo(60);
  }

  @Test
  void nextWait_unknownTiming_pollsSoon() {
    assertThat(PollSchedule.nextWait(Duration.ZERO, T0, T0)).isEqualTo(2);
    assertThat(PollSchedule.nextWait(Duration.ofSeconds(30), null, T0)).isEqualTo(2);
  }
}
