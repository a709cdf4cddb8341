package dev.cairn.core.kpi.port;

import dev.cairn.core.kpi.KpiGauges;

/**
 * Port: publishes seed 004's KPIs ({@link KpiGauges}) as metrics. The audit anchorer publishes them
 * on its schedule, computed from the chain it has just verified, so a gauge never rests on an entry
 * that does not hold (decision 2026-12-06-kpi-metrics).
 */
@FunctionalInterface
public interface KpiMetrics {

  /** One datum per non-null gauge. */
  void deliveryKpis(KpiGauges gauges);
}
