package dev.cairn.aws.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The correlation keys a log line carries, kept in SLF4J's MDC: what the adapters add once an audit
 * entry is written, and what {@code HandlerLog} (cairn-aws-runtime, the Lambdas' invocation lines)
 * adds from the request and the result. Here, on SLF4J alone, so that the adapters the CLI runs
 * bring no Lambda logging runtime with them.
 */
public final class LogContext {

  private static final Logger LOG = LoggerFactory.getLogger(LogContext.class);

  /** Bounds a value copied from a request: a correlation key, never a payload. */
  private static final int MAX_VALUE_CHARS = 200;

  private LogContext() {}

  /**
   * Called by the adapters once an audit entry is durably written: every later line of this
   * invocation carries its {@code audit_sequence}, and this line names its action too.
   */
  public static void auditEntryWritten(JsonNode entry) {
    MDC.put("audit_sequence", Long.toString(entry.path("sequence").asLong()));
    putIfAbsent("service", text(entry.path("artifact").get("service")));
    putIfAbsent("commit_sha", text(entry.path("artifact").get("commit_sha")));
    MDC.put("audit_action", clip(entry.path("action").asText()));
    LOG.info("audit entry written");
    MDC.remove("audit_action");
  }

  /** Sets {@code key} unless a line of this invocation already carries it; null is skipped. */
  public static void putIfAbsent(String key, String value) {
    if (value != null && MDC.get(key) == null) {
      MDC.put(key, clip(value));
    }
  }

  /** A scalar's text, or null for a missing, null, blank or structured node. */
  public static String text(JsonNode n) {
    return n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank() ? null : n.asText();
  }

  /** {@code v} cut to the length a correlation key may have. */
  public static String clip(String v) {
    return v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) : v;
  }
}
