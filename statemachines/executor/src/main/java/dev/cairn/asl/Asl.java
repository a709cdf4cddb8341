package dev.cairn.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Shared constants and helpers: the predefined error names, JSON and timestamps. */
public final class Asl {
  /** Wildcard: any error except {@code States.Runtime} and {@code States.DataLimitExceeded}. */
  public static final String ALL = "States.ALL";

  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
  public static final String TIMEOUT = "States.Timeout";
  public static final String TASK_FAILED = "States.TaskFailed";
  public static final String PERMISSIONS = "States.Permissions";
  public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
  public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
  public static final String BRANCH_FAILED = "States.BranchFailed";
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
  public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD =
      "States.ExceedToleratedFailureThreshold";
  public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
  public static final String RESULT_WRITER_FAILED = "States.ResultWriterFailed";
  public static final String RUNTIME = "States.Runtime";
  public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

  /** One mapper for the whole executor; numbers keep their exact decimal form. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** RFC 3339 profile the spec requires: uppercase T and Z, optional fraction, explicit zone. */
  private static final Pattern RFC3339 =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

  private Asl() {}

  /** Formats an instant as Step Functions does in the context object. */
  public static String formatTimestamp(Instant instant) {
    return MILLIS.format(instant);
  }

  /** Parses an ASL timestamp (RFC 3339, uppercase T, explicit offset). */
  public static Optional<Instant> parseTimestamp(String text) {
    if (text == null || !RFC3339.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Parses JSON text. */
  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Compact JSON text. */
  public static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
