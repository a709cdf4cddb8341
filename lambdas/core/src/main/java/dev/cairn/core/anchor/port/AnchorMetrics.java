package dev.cairn.core.anchor.port;

/**
 * Port: the anchorer's heartbeat metric ({@code AnchorHeartbeat}, schema/metrics-contract.json).
 * Emitted once per run that verified the chain and published its message, never otherwise, so an
 * alarm that treats a missing datum as breaching fires both when the anchorer fails and when it
 * stops running.
 */
public interface AnchorMetrics {

  /** One successful anchor or heartbeat run. */
  void anchorHeartbeat();
}
