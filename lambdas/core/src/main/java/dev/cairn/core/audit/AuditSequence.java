package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * The {@code sequence} of an audit entry or anchor: a JSON integer from 0 to 2^63 - 1. Parsed
 * strictly, so 2^64 + 1 is not read as 1: a number past a long, a negative, fractional or
 * non-numeric value (a string "5" included) is no sequence.
 */
public final class AuditSequence {

  /** The stable description of what is accepted, for error messages. */
  public static final String EXPECTED = "a non-negative integer no greater than 2^63 - 1";

  private AuditSequence() {}

  /** The sequence {@code node} holds, or empty when it is not {@link #EXPECTED}. */
  public static OptionalLong parse(JsonNode node) {
    if (node == null
        || !node.isIntegralNumber()
        || !node.canConvertToLong()
        || node.longValue() < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(node.longValue());
  }

  /** The raw value as a message can show it: {@code 18446744073709551617}, {@code "5"}, absent. */
  public static String describe(JsonNode node) {
    return node == null || node.isMissingNode() ? "absent" : node.toString();
  }
}
