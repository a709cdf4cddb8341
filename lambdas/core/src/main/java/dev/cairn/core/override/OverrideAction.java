package dev.cairn.core.override;

import java.util.Locale;

/**
 * What an operator may ask for through the override Lambda (spec: Solo-Operator Policy Control
 * Matrix).
 */
public enum OverrideAction {
  /** Promote an artifact to the next environment without waiting for the pipeline. */
  PROMOTE,
  /** Roll an environment back to a verified release artifact. */
  ROLLBACK,
  /** Requeue an artifact whose execution was lost or stopped. */
  REQUEUE,
  /** One signed approval toward an environment's N-of-M requirement. */
  APPROVE,
  /** Override a gate (e.g. drift). Requires the SSM break-glass flag and always alerts. */
  BREAK_GLASS;

  /** The name in documents: {@code promote}, {@code break_glass}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; null when unknown. */
  public static OverrideAction fromWire(String s) {
    for (OverrideAction a : values()) {
      if (a.wireName().equals(s)) {
        return a;
      }
    }
    return null;
  }
}
