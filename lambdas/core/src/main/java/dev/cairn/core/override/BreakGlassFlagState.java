package dev.cairn.core.override;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What the break-glass flag says at one instant. The only value that turns it on is {@code
 * {"enabled":true,"expires_at":"2026-12-06T12:00:00Z"}} with {@code expires_at} in the future and
 * at most {@link #MAX_LIFETIME} away: a flag left on by mistake turns itself off. Everything else
 * is off, and {@link #legacy()} marks the old plain {@code true} / {@code {"enabled":true}} forms,
 * which an administrator may still believe to be on and which therefore alert.
 *
 * @param detail why the flag is on or off, for refusals and alerts
 */
public record BreakGlassFlagState(
    boolean enabled, Instant expiresAt, boolean legacy, String detail) {

  /** The longest a break-glass window may stay open. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(24);

  /** The parameter's value when break-glass is closed (what the CDK app writes). */
  public static final String OFF = "{\"enabled\":false}";

  /** No parameter at all: off. */
  public static BreakGlassFlagState missing() {
    return new BreakGlassFlagState(false, null, false, "the break-glass parameter does not exist");
  }

  /** Reads the parameter's value at {@code now}. */
  public static BreakGlassFlagState parse(String value, Instant now) {
    JsonNode n;
    try {
      n = Json.parse(value.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return off("the value is not JSON", false);
    }
    if (n.isBoolean() || n.isTextual()) {
      return off("a plain " + value.strip() + " is the retired format; it means off", true);
    }
    if (!n.isObject() || !n.path("enabled").isBoolean()) {
      return off("\"enabled\" must be a JSON boolean", false);
    }
    if (!n.path("enabled").booleanValue()) {
      return off("enabled is false", false);
    }
    if (!n.path("expires_at").isTextual()) {
      return off("enabled without expires_at is the retired format; it means off", true);
    }
    Instant expires;
    try {
      expires = Instant.parse(n.path("expires_at").textValue());
    } catch (DateTimeParseException e) {
      return off("expires_at is not an ISO-8601 instant", false);
    }
    if (!now.isBefore(expires)) {
      return new BreakGlassFlagState(false, expires, false, "the flag expired at " + expires);
    }
    if (expires.isAfter(now.plus(MAX_LIFETIME))) {
      return new BreakGlassFlagState(
          false,
          expires,
          false,
          "expires_at " + expires + " is more than " + MAX_LIFETIME.toHours() + " h away");
    }
    return new BreakGlassFlagState(true, expires, false, "on until " + expires);
  }

  /** The value that opens break-glass until {@code expiresAt}. */
  public static String value(Instant expiresAt) {
    return "{\"enabled\":true,\"expires_at\":\"" + expiresAt + "\"}";
  }

  private static BreakGlassFlagState off(String detail, boolean legacy) {
    return new BreakGlassFlagState(false, null, legacy, detail);
  }
}
