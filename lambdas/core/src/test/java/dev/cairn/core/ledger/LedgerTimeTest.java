package dev.cairn.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerTimeTest {

  /** What {@code TransitionPlanner.iso} wrote for every {@code *_at} before the types changed. */
  @ParameterizedTest
  @CsvSource({
    "2026-11-22T10:00:00Z,           2026-11-22T10:00:00Z",
    "2026-11-22T10:00:00.000999Z,    2026-11-22T10:00:00Z",
    "2026-11-22T10:00:00.120Z,       2026-11-22T10:00:00.120Z",
    "2026-11-22T10:00:00.5Z,         2026-11-22T10:00:00.500Z",
    "2026-11-22T10:00:00.123456789Z, 2026-11-22T10:00:00.123Z"
  })
  void millisFormatted_isTheTextOfEveryAtAttribute(String instant, String text) {
    assertThat(LedgerTime.format(LedgerTime.millis(Instant.parse(instant)))).isEqualTo(text);
    assertThat(TransitionPlanner.iso(Instant.parse(instant))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.120Z",
        "2026-11-22T10:00:00.123456Z",
        "2026-11-22T10:00:00.123456789Z"
      })
  void everyFormTheLedgerWrites_readsBackToTheSameText(String text) {
    assertThat(LedgerTime.format(LedgerTime.parse("updated_at", text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-22T10:00:00.5Z", "2026-11-22T10:00:00.1234Z"})
  void aManifestsShorterFraction_readsAsTheSameInstant(String text) {
    assertThat(LedgerTime.parse("build_time", text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "now",
        "2026-11-22",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00",
        "2026-11-22T10:00:00+00:00",
        "2026-11-22T10:00:00.Z",
        "2026-11-22T10:00:00.1234567890Z",
        "2026-13-01T10:00:00Z",
        "2026-02-29T10:00:00Z",
        " 2026-11-22T10:00:00Z"
      })
  void anythingElse_isRefusedNamingTheAttribute(String text) {
    assertThatThrownBy(() -> LedgerTime.parse("created_at", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "created_at must be an ISO-8601 UTC time such as 2026-11-22T09:14:00.123Z, not \""
                + text
                + "\"");
  }
}
