package dev.cairn.core.override.port;

import dev.cairn.core.override.BreakGlassFlagState;

/**
 * Port: the SSM break-glass flag ({@code /cairn/break-glass}). Its value is {@code
 * {"enabled":true,"expires_at":"<ISO-8601 instant>"}} ({@link BreakGlassFlagState#parse}); the flag
 * is read on every request, so turning it off, or letting it expire, takes effect at once.
 */
@FunctionalInterface
public interface BreakGlassFlag {

  /** The flag as it reads now; missing, malformed, legacy or expired values are off. */
  BreakGlassFlagState read();
}
