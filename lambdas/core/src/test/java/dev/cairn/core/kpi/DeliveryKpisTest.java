package dev.cairn.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KPIs of {@link KpiHistory}'s constructed week, against the answers worked by hand. */
class DeliveryKpisTest {

  private static JsonNode orders() {
    return DeliveryKpis.compute(
        KpiHistory.week().iterator(),
        new DeliveryKpis.Window("orders", "prod", KpiHistory.SINCE, KpiHistory.UNTIL));
  }

  @Test
  void leadTime_medianAndP90_fromCommitWhereKnownElseBuild() {
    JsonNode lead = orders().path("lead_time_seconds");
    // A 1200, B 2700 (from its commit), C 600, D 1800, E 900; F deployed before the window.
    assertThat(lead.path("count").asInt()).isEqualTo(5);
    assertThat(lead.path("median").asDouble()).isEqualTo(1200);
    assertThat(lead.path("p90").asDouble()).isEqualTo(2700); // rank ⌈0.9 × 5⌉ = 5
    assertThat(lead.at("/measured_from/commit").asInt()).isEqualTo(1);
    assertThat(lead.at("/measured_from/build").asInt()).isEqualTo(4);
  }

  @Test
  void deploymentFrequency_countsProdDeploymentsInTheWindow() {
    JsonNode f = orders().path("deployment_frequency");
    assertThat(f.path("prod_deployments").asInt()).isEqualTo(5);
    assertThat(f.path("days").asDouble()).isEqualTo(7);
    assertThat(f.path("per_day").asDouble()).isEqualTo(0.7143);
  }

  @Test
  void changeFailureRate_mttrAndRollbackRate() {
    JsonNode k = orders();
    // B (smoke failed, rolled back) and D (smoke failed, E rolled forward) of 5.
    assertThat(k.at("/change_failure_rate/failed_deployments").asInt()).isEqualTo(2);
    assertThat(k.at("/change_failure_rate/rate").asDouble()).isEqualTo(0.4);
    // B: 10:00 → 10:08 = 480 s; D: 08:40 → E deployed 09:00 = 1200 s.
    assertThat(k.at("/mttr_seconds/restored").asInt()).isEqualTo(2);
    assertThat(k.at("/mttr_seconds/mean").asDouble()).isEqualTo(840);
    assertThat(k.at("/rollback_rate/rollbacks").asInt()).isEqualTo(1);
    assertThat(k.at("/rollback_rate/rate").asDouble()).isEqualTo(0.2);
  }

  @Test
  void testFailureRate_overTheTrailingSevenDays() {
    JsonNode t = orders().path("test_failure_rate_7d");
    // Stage passed for A–E (5), prod passed for A, C, E (3), prod failed for B, D (2); F's two
    // runs were on 10-30, before the 7 days that end on 11-08.
    assertThat(t.path("completed").asInt()).isEqualTo(10);
    assertThat(t.path("failed").asInt()).isEqualTo(2);
    assertThat(t.path("rate").asDouble()).isEqualTo(0.2);
  }

  @Test
  void targets_areSeed004s() {
    JsonNode m = orders().path("meets_targets");
    assertThat(m.path("lead_time_median_under_30m").asBoolean()).isTrue();
    assertThat(m.path("change_failure_rate_under_5pct").asBoolean()).isFalse();
    assertThat(m.path("mttr_under_15m").asBoolean()).isTrue();
    assertThat(m.path("rollback_rate_under_2pct").asBoolean()).isFalse();
  }

  @Test
  void perService_separatesServicesAndSumsThem() {
    DeliveryKpis.PerService all =
        new DeliveryKpis.PerService(
            new DeliveryKpis.Window(null, "prod", KpiHistory.SINCE, KpiHistory.UNTIL));
    KpiHistory.week().forEach(all::accept);
    ObjectNode r = all.result();
    assertThat(r.at("/all/deployment_frequency/prod_deployments").asInt()).isEqualTo(6);
    assertThat(r.at("/services/orders/deployment_frequency/prod_deployments").asInt()).isEqualTo(5);
    assertThat(r.at("/services/billing/lead_time_seconds/median").asDouble()).isEqualTo(1800);
  }

  @Test
  void emptyWindow_hasNoRatesRatherThanZeros() {
    JsonNode k =
        DeliveryKpis.compute(
            KpiHistory.week().iterator(),
            new DeliveryKpis.Window(
                "orders",
                "prod",
                Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-02T00:00:00Z")));
    assertThat(k.at("/change_failure_rate/rate").isNull()).isTrue();
    assertThat(k.at("/lead_time_seconds/median").isNull()).isTrue();
    assertThat(k.at("/meets_targets/mttr_under_15m").isNull()).isTrue();
  }

  @Test
  void percentiles_followTheirDefinitions() {
    assertThat(DeliveryKpis.median(List.of(1L, 2L, 3L, 4L))).isEqualTo(2.5);
    assertThat(DeliveryKpis.nearestRank(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), 90))
        .isEqualTo(9.0);
    assertThat(DeliveryKpis.nearestRank(List.of(7L), 90)).isEqualTo(7.0);
  }
}
