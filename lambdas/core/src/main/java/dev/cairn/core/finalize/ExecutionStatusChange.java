package dev.cairn.core.finalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.time.Instant;

/**
 * The EventBridge "Step Functions Execution Status Change" event, reduced to what the finalizer
 * needs. {@code detail.input} is the execution input as a JSON string; {@code startDate} and {@code
 * stopDate} are epoch milliseconds.
 *
 * @param status {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code ABORTED}
 */
public record ExecutionStatusChange(
    String executionArn,
    String name,
    String status,
    ObjectNode input,
    Instant startDate,
    Instant stopDate,
    String error,
    String cause) {

  public ExecutionStatusChange {
    if (executionArn == null || status == null || input == null) {
      throw new IllegalArgumentException("executionArn, status and input are required");
    }
  }

  /** Parses the whole event (with {@code detail-type} and {@code detail}). */
  public static ExecutionStatusChange fromEvent(JsonNode event) {
    JsonNode d = event.path("detail");
    String type = event.path("detail-type").asText("");
    if (!type.equals("Step Functions Execution Status Change")) {
      throw new IllegalArgumentException("not a Step Functions status change event: " + type);
    }
    ObjectNode input;
    try {
      JsonNode parsed = Json.parse(d.path("input").asText("{}"));
      input = parsed.isObject() ? (ObjectNode) parsed : Json.object();
    } catch (IOException e) {
      throw new IllegalArgumentException("detail.input is not JSON: " + e.getMessage(), e);
    }
    return new ExecutionStatusChange(
        text(d, "executionArn"),
        text(d, "name"),
        text(d, "status"),
        input,
        millis(d, "startDate"),
        millis(d, "stopDate"),
        text(d, "error"),
        text(d, "cause"));
  }

  /**
   * The artifact's service: the input's {@code service}, or, for an execution an S3 rule started
   * (input {@code {trigger, bucket, manifest_key, environment}}), the manifest key's first segment.
   */
  public String service() {
    String s = inputText("service");
    return s != null
        ? s
        : ArtifactLayout.serviceAndCommit(inputText("manifest_key")).map(p -> p[0]).orElse(null);
  }

  /** The artifact's commit: {@code commit_sha}, or the manifest key's second segment. */
  public String commitSha() {
    String c = inputText("commit_sha");
    return c != null
        ? c
        : ArtifactLayout.serviceAndCommit(inputText("manifest_key")).map(p -> p[1]).orElse(null);
  }

  /** The input field {@code name}, or null. */
  public String inputText(String name) {
    JsonNode n = input.get(name);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static String text(JsonNode d, String name) {
    JsonNode n = d.get(name);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Instant millis(JsonNode d, String name) {
    JsonNode n = d.get(name);
    return n == null || !n.canConvertToLong() ? null : Instant.ofEpochMilli(n.asLong());
  }
}
