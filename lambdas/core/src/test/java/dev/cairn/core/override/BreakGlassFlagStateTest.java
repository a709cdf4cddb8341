package dev.cairn.core.override;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The break-glass parameter's value format: on only with an expiry that has not passed. */
class BreakGlassFlagStateTest {

  static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void parse_enabledWithFutureExpiry_isOnUntilThen() {
    BreakGlassFlagState s =
        BreakGlassFlagState.parse(BreakGlassFlagState.value(NOW.plusSeconds(3600)), NOW);

    assertThat(s.enabled()).isTrue();
    assertThat(s.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(s.legacy()).isFalse();
  }

  @Test
  void parse_expired_isOff() {
    BreakGlassFlagState s = BreakGlassFlagState.parse(BreakGlassFlagState.value(NOW), NOW);

    assertThat(s.enabled()).isFalse();
    assertThat(s.detail()).contains("expired");
  }

  @Test
  void parse_expiryMoreThanADayAway_isOff() {
    assertThat(
            BreakGlassFlagState.parse(
                    BreakGlassFlagState.value(NOW.plus(Duration.ofHours(25))), NOW)
                .enabled())
        .isFalse();
  }

  @Test
  void parse_retiredPlainTrueForms_areOffAndMarkedLegacy() {
    for (String v : new String[] {"true", "\"true\"", "{\"enabled\":true}"}) {
      BreakGlassFlagState s = BreakGlassFlagState.parse(v, NOW);
      assertThat(s.enabled()).as(v).isFalse();
      assertThat(s.legacy()).as(v).isTrue();
    }
  }

  @Test
  void parse_malformedOrOff_isOffNotLegacy() {
    for (String v :
        new String[] {
          "{",
          "{\"enabled\":false}",
          "{\"enabled\":\"true\",\"expires_at\":\"2026-12-06T11:00:00Z\"}",
          "{\"enabled\":true,\"expires_at\":\"tomorrow\"}",
          "[]"
        }) {
      BreakGlassFlagState s = BreakGlassFlagState.parse(v, NOW);
      assertThat(s.enabled()).as(v).isFalse();
      assertThat(s.legacy()).as(v).isFalse();
    }
  }
}
