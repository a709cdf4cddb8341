package dev.cairn.core.override;

/** Port: the SSM break-glass flag ({@code /cairn/break-glass}, {@code {"enabled":false}}). */
@FunctionalInterface
public interface BreakGlassFlag {

  /** True only when the flag reads {@code {"enabled": true}}; anything else is off. */
  boolean enabled();
}
