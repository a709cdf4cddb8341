package dev.cairn.aws.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.pipeline.ArtifactNotRegistered;
import dev.cairn.core.pipeline.ArtifactRejected;
import dev.cairn.core.pipeline.PipelineError;
import dev.cairn.core.pipeline.TransientError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * One handler invocation's log lines, for an operator who has the dashboard's transition and
 * CloudWatch Logs Insights open (docs/runbooks/logs.md). Powertools logging puts the Lambda
 * context's fields on every line (each Lambda's {@code log4j2.xml} writes them as JSON); this class
 * adds the correlation keys, in the spec's vocabulary, as soon as they are known:
 *
 * <ul>
 *   <li>{@code service}, {@code commit_sha}, {@code environment}, {@code execution_id}: from the
 *       request, then from the result (an override names its artifact only once it is parsed);
 *   <li>{@code audit_sequence}: the last audit entry this invocation wrote ({@link
 *       LogContext#auditEntryWritten}), so a line is found from its audit entry and back;
 *   <li>{@code failure_code} on a refusal, and {@code error_name} on an error.
 * </ul>
 *
 * <p>A line carries only values picked here, never the event or the result as a whole: an override
 * request holds a signature, a manifest holds one, and neither may reach a log line. {@code
 * service} is the deployed service; Powertools' own {@code service} (the function's {@code
 * POWERTOOLS_SERVICE_NAME}) is dropped, because {@code function_name} already says which Lambda
 * wrote the line.
 */
public final class HandlerLog {

  /** The correlation keys every line carries where known, verbatim from the spec and the ledger. */
  public static final List<String> CORRELATION_KEYS =
      List.of("service", "commit_sha", "environment", "execution_id", "audit_sequence");

  public static final String FAILURE_CODE = "failure_code";
  public static final String ERROR_NAME = "error_name";

  /** On the lines of priming's invocation ({@link Priming#invocation}), before the snapshot. */
  public static final String PRIMING = "snapstart_priming";

  private static final Logger LOG = LoggerFactory.getLogger(HandlerLog.class);

  /** ArtifactRejected's message: {@code <GATE>: <CODE>: <detail>}. */
  private static final Pattern GATE_AND_CODE = Pattern.compile("^([A-Z_]+): ([A-Z][A-Z0-9_]+):");

  private HandlerLog() {}

  /**
   * Runs {@code body} as one invocation: a line when it starts, a line with its outcome (or its
   * error, rethrown unchanged), each with the Lambda context's fields and the keys known.
   *
   * @param context the Lambda context (null where the sandbox invokes the handler in-process)
   * @param keys correlation keys known from the request; null values are skipped
   */
  public static <T> T invocation(Context context, Map<String, String> keys, Supplier<T> body) {
    Supplier<T> logged =
        () -> {
          MDC.remove("service");
          if (Priming.inProgress()) {
            // SnapStart priming's own invocation, on the loopback: not a request anyone made.
            MDC.put(PRIMING, "true");
          }
          keys.forEach(HandlerLog::putIfAbsent);
          LOG.info("invocation started");
          T result;
          try {
            result = body.get();
          } catch (RuntimeException e) {
            failed(e);
            throw e;
          }
          if (result instanceof JsonNode r) {
            completed(r);
          } else {
            LOG.info("invocation completed");
          }
          return result;
        };
    // Without a Lambda context (the sandbox invokes handlers in-process) Powertools has nothing to
    // add: its fields come from the context. Not loading it then also keeps its start-up check for
    // a Lambda logging backend (log4j2 here) off the sandbox's output, which logs through logback.
    return context == null ? isolated(logged) : PowertoolsLogging.withLogging(context, logged::get);
  }

  /**
   * Runs one in-process invocation with its own MDC, as Powertools gives each Lambda invocation:
   * nothing from an earlier invocation on this thread (a registrar's {@code audit_sequence}, say)
   * reaches its lines, and the caller's MDC is back afterwards.
   */
  private static <T> T isolated(Supplier<T> invocation) {
    Map<String, String> caller = MDC.getCopyOfContextMap();
    MDC.clear();
    try {
      return invocation.get();
    } finally {
      if (caller == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(caller);
      }
    }
  }

  /** The correlation keys a payload names at its top level (and an {@code artifact} object). */
  public static Map<String, String> keysOf(JsonNode payload) {
    Map<String, String> keys = new LinkedHashMap<>();
    if (payload == null) {
      return keys;
    }
    for (String k : List.of("service", "commit_sha", "environment", "execution_id")) {
      keys.put(k, text(payload.get(k)));
    }
    JsonNode artifact = payload.path("artifact");
    keys.computeIfAbsent("service", k -> text(artifact.get("service")));
    keys.computeIfAbsent("commit_sha", k -> text(artifact.get("commit_sha")));
    keys.values().removeIf(java.util.Objects::isNull);
    return keys;
  }

  /**
   * {@link #keysOf(JsonNode)} of a raw request; a document that is not JSON names no keys (the use
   * case refuses it, and that refusal is logged).
   */
  public static Map<String, String> keysOf(byte[] document) {
    try {
      return keysOf(dev.cairn.core.json.Json.parse(document));
    } catch (java.io.IOException | RuntimeException e) {
      return new LinkedHashMap<>();
    }
  }

  /** The four artifact keys, any of them null when unknown. */
  public static Map<String, String> keys(
      String service, String commitSha, String environment, String executionId) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("service", service);
    keys.put("commit_sha", commitSha);
    keys.put("environment", environment);
    keys.put("execution_id", executionId);
    keys.values().removeIf(java.util.Objects::isNull);
    return keys;
  }

  private static void completed(JsonNode result) {
    if (result.isObject()) {
      keysOf(result).forEach(HandlerLog::putIfAbsent);
    }
    String outcome = text(result.get("outcome"));
    String failure = text(result.get("failure"));
    if (outcome != null) {
      MDC.put("outcome", outcome);
    }
    if (failure != null) {
      MDC.put(FAILURE_CODE, failure);
      LOG.warn("invocation refused");
    } else {
      LOG.info("invocation completed");
    }
  }

  /**
   * An error: its stable name (what the state machine routes on) and, for a rejected artifact, the
   * failing gate's code. A transient AWS error is a warning (Retry handles it); the rest is an
   * error with its stack.
   */
  private static void failed(RuntimeException e) {
    MDC.put(
        ERROR_NAME, e instanceof PipelineError p ? p.errorName() : e.getClass().getSimpleName());
    if ((e instanceof ArtifactRejected || e instanceof ArtifactNotRegistered)
        && e.getMessage() != null) {
      Matcher m = GATE_AND_CODE.matcher(e.getMessage());
      if (m.find()) {
        MDC.put("gate", m.group(1));
        MDC.put(FAILURE_CODE, m.group(2));
      }
    }
    if (e instanceof TransientError || e instanceof ArtifactNotRegistered) {
      // Both are retried by the state machine; only their last attempt is a failure.
      LOG.warn("invocation failed transiently: {}", e.getMessage());
    } else if (e instanceof PipelineError) {
      LOG.warn("invocation failed: {}", e.getMessage());
    } else {
      LOG.error("invocation failed", e);
    }
  }

  private static void putIfAbsent(String key, String value) {
    LogContext.putIfAbsent(key, value);
  }

  private static String text(JsonNode n) {
    return LogContext.text(n);
  }
}
