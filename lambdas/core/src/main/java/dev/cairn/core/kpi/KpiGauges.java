package dev.cairn.core.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Seed 004's four KPIs as the gauges the control plane publishes (CloudWatch {@code
 * LeadTimeMedian}, {@code ChangeFailureRate}, {@code MeanTimeToRestore}, {@code RollbackRate}).
 * Each is null when its definition has no data in the window (no prod deployment, no restored
 * failure): "no data" is published as no datum, never as 0, so an alarm on it stays quiet instead
 * of reporting a perfect score.
 *
 * @param leadTimeMedianSeconds median lead time over the last {@link #RECENT}
 * @param changeFailureRatePercent change failure rate over the last {@link #RECENT}, in percent
 * @param meanTimeToRestoreSeconds MTTR over the last {@link #RECENT}
 * @param rollbackRatePercent rollback rate over the last {@link #QUARTER}, in percent (seed 004
 *     sets it "per quarter")
 */
public record KpiGauges(
    Double leadTimeMedianSeconds,
    Double changeFailureRatePercent,
    Double meanTimeToRestoreSeconds,
    Double rollbackRatePercent) {

  /** The trailing window of lead time, change failure rate and MTTR. */
  public static final Duration RECENT = Duration.ofDays(30);

  /** The trailing window of the rollback rate: seed 004's quarter. */
  public static final Duration QUARTER = Duration.ofDays(90);

  /**
   * Accumulates both windows in one pass over the log: feed every entry in sequence order, then
   * read {@link #gauges()}.
   */
  public static final class Reader {
    private final DeliveryKpis recent;
    private final DeliveryKpis quarter;

    /** Windows ending at {@code now}; {@code prodEnvironment} is the chain's last environment. */
    public Reader(String prodEnvironment, Instant now) {
      this.recent =
          DeliveryKpis.over(
              new DeliveryKpis.Window(null, prodEnvironment, now.minus(RECENT), now.plusMillis(1)));
      this.quarter =
          DeliveryKpis.over(
              new DeliveryKpis.Window(
                  null, prodEnvironment, now.minus(QUARTER), now.plusMillis(1)));
    }

    public void accept(JsonNode entry) {
      recent.accept(entry);
      quarter.accept(entry);
    }

    public KpiGauges gauges() {
      JsonNode r = recent.result();
      JsonNode q = quarter.result();
      return new KpiGauges(
          number(r.at("/lead_time_seconds/median")),
          percent(r.at("/change_failure_rate/rate")),
          number(r.at("/mttr_seconds/mean")),
          percent(q.at("/rollback_rate/rate")));
    }

    private static Double number(JsonNode n) {
      return n.isNumber() ? n.asDouble() : null;
    }

    private static Double percent(JsonNode rate) {
      return rate.isNumber() ? Math.round(rate.asDouble() * 1_000_000) / 10_000.0 : null;
    }
  }
}
