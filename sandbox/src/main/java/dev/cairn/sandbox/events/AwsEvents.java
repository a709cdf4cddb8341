package dev.cairn.sandbox.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The events AWS services put on the default bus, shaped as the service docs show them, for the
 * sandbox to raise where no local server does (no local S3 emits event notifications).
 *
 * <p>Every value comes from the caller: the time as an {@link Instant}, the event {@code id} from
 * the id generator given at construction, so a run is deterministic.
 */
public final class AwsEvents {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Step Functions execution statuses (DescribeExecution {@code status}). */
  private static final Set<String> EXECUTION_STATUSES =
      Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");

  private final Supplier<String> ids;

  /**
   * @param ids gives each event's {@code id} (EventBridge uses a UUID)
   */
  public AwsEvents(Supplier<String> ids) {
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * The S3 object in an "Object Created" event's {@code detail}.
   *
   * @param versionId the object's version id; null when the bucket is not versioned (the field is
   *     then absent)
   * @param reason the API that created the object: PutObject, POST Object, CopyObject or
   *     CompleteMultipartUpload
   */
  public record ObjectCreated(
      String bucket,
      String key,
      long size,
      String etag,
      String versionId,
      String sequencer,
      String requestId,
      String requester,
      String sourceIpAddress,
      String reason) {
    public ObjectCreated {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(etag, "etag");
      Objects.requireNonNull(sequencer, "sequencer");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(requester, "requester");
      Objects.requireNonNull(sourceIpAddress, "sourceIpAddress");
      Objects.requireNonNull(reason, "reason");
      if (size < 0) {
        throw new IllegalArgumentException("size must not be negative: " + size);
      }
    }
  }

  /**
   * An execution in a "Step Functions Execution Status Change" event's {@code detail}.
   *
   * @param stopDate null while RUNNING
   * @param output the execution's output JSON text; null unless SUCCEEDED
   * @param error null unless the execution failed, timed out or was aborted
   * @param cause null unless the execution failed, timed out or was aborted
   */
  public record ExecutionStatusChange(
      String executionArn,
      String stateMachineArn,
      String name,
      String status,
      Instant startDate,
      Instant stopDate,
      String input,
      String output,
      String error,
      String cause) {
    public ExecutionStatusChange {
      Objects.requireNonNull(executionArn, "executionArn");
      Objects.requireNonNull(stateMachineArn, "stateMachineArn");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(startDate, "startDate");
      Objects.requireNonNull(input, "input");
      if (!EXECUTION_STATUSES.contains(status)) {
        throw new IllegalArgumentException(
            "status must be one of " + EXECUTION_STATUSES + ": " + status);
      }
      if (status.equals("RUNNING") != (stopDate == null)) {
        throw new IllegalArgumentException("stopDate is null exactly when status is RUNNING");
      }
    }
  }

  /**
   * S3 "Object Created", as in the S3 User Guide, "EventBridge event message structure":
   *
   * <pre>{@code
   * {"version": "0", "id": ..., "detail-type": "Object Created", "source": "aws.s3",
   *  "account": ..., "time": ..., "region": ..., "resources": ["arn:aws:s3:::bucket"],
   *  "detail": {"version": "0", "bucket": {"name": ...},
   *             "object": {"key", "size", "etag", "version-id", "sequencer"},
   *             "request-id": ..., "requester": ..., "source-ip-address": ..., "reason": ...}}
   * }</pre>
   *
   * @param account the bucket owner's account
   * @param region the bucket's region
   */
  public ObjectNode s3ObjectCreated(
      String account, String region, Instant time, ObjectCreated object) {
    ObjectNode event =
        envelope(
            "Object Created", "aws.s3", account, region, time, "arn:aws:s3:::" + object.bucket());
    ObjectNode detail = event.putObject("detail");
    detail.put("version", "0");
    detail.putObject("bucket").put("name", object.bucket());
    ObjectNode o = detail.putObject("object");
    o.put("key", object.key());
    // The node type Jackson's parser would give, so the event equals its own JSON read back.
    if (object.size() <= Integer.MAX_VALUE) {
      o.put("size", (int) object.size());
    } else {
      o.put("size", object.size());
    }
    o.put("etag", object.etag());
    if (object.versionId() != null) {
      o.put("version-id", object.versionId());
    }
    o.put("sequencer", object.sequencer());
    detail.put("request-id", object.requestId());
    detail.put("requester", object.requester());
    detail.put("source-ip-address", object.sourceIpAddress());
    detail.put("reason", object.reason());
    return event;
  }

  /**
   * "Step Functions Execution Status Change", as in the Step Functions Developer Guide, "Using
   * EventBridge to monitor Step Functions execution events". Dates are epoch milliseconds; {@code
   * inputDetails}/{@code outputDetails} say the payload is included; the redrive fields are those a
   * first execution (never redriven) carries.
   */
  public ObjectNode stepFunctionsExecutionStatusChange(
      String account, String region, Instant time, ExecutionStatusChange execution) {
    ObjectNode event =
        envelope(
            "Step Functions Execution Status Change",
            "aws.states",
            account,
            region,
            time,
            execution.executionArn());
    ObjectNode detail = event.putObject("detail");
    detail.put("executionArn", execution.executionArn());
    detail.put("stateMachineArn", execution.stateMachineArn());
    detail.put("name", execution.name());
    detail.put("status", execution.status());
    detail.put("startDate", execution.startDate().toEpochMilli());
    if (execution.stopDate() == null) {
      detail.putNull("stopDate");
    } else {
      detail.put("stopDate", execution.stopDate().toEpochMilli());
    }
    detail.put("input", execution.input());
    detail.putObject("inputDetails").put("included", true);
    if (execution.output() == null) {
      detail.putNull("output");
      detail.putNull("outputDetails");
    } else {
      detail.put("output", execution.output());
      detail.putObject("outputDetails").put("included", true);
    }
    detail.put("redriveCount", 0);
    detail.putNull("redriveDate");
    boolean redrivable = Set.of("FAILED", "TIMED_OUT", "ABORTED").contains(execution.status());
    detail.put("redriveStatus", redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE");
    if (redrivable) {
      detail.putNull("redriveStatusReason");
    } else {
      detail.put(
          "redriveStatusReason", "Execution is " + execution.status() + " and cannot be redriven");
    }
    putNullable(detail, "error", execution.error());
    putNullable(detail, "cause", execution.cause());
    return event;
  }

  /**
   * The "Parameter Store Change" event Systems Manager raises after a parameter is created,
   * updated, deleted or labelled (Systems Manager User Guide, "Parameter Store events"): source
   * "aws.ssm", resources [the parameter's ARN], detail {operation, name, type, description}. The
   * value is never part of it.
   */
  public ObjectNode ssmParameterStoreChange(
      String account,
      String region,
      Instant time,
      String parameterArn,
      String operation,
      String name,
      String type,
      String description) {
    if (!Set.of("Create", "Update", "Delete", "LabelParameterVersion").contains(operation)) {
      throw new IllegalArgumentException("not a Parameter Store operation: " + operation);
    }
    ObjectNode event =
        envelope("Parameter Store Change", "aws.ssm", account, region, time, parameterArn);
    ObjectNode detail = event.putObject("detail");
    detail.put("operation", operation);
    detail.put("name", Objects.requireNonNull(name, "name"));
    detail.put("type", Objects.requireNonNull(type, "type"));
    detail.put("description", description == null ? "" : description);
    return event;
  }

  /**
   * The "Scheduled Event" EventBridge raises when a schedule rule fires (User Guide, "Creating a
   * rule that runs on a schedule"): source "aws.events", resources [the rule's ARN], detail {}.
   */
  public ObjectNode scheduledEvent(String account, String region, Instant time, String ruleArn) {
    ObjectNode event = envelope("Scheduled Event", "aws.events", account, region, time, ruleArn);
    event.putObject("detail");
    return event;
  }

  private ObjectNode envelope(
      String detailType,
      String source,
      String account,
      String region,
      Instant time,
      String resource) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(time, "time");
    ObjectNode event = NODES.objectNode();
    event.put("version", "0");
    event.put("id", Objects.requireNonNull(ids.get(), "id generator returned null"));
    event.put("detail-type", detailType);
    event.put("source", source);
    event.put("account", account);
    // Events carry whole seconds: "time": "2021-11-12T00:00:00Z".
    event.put("time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
    event.put("region", region);
    event.putArray("resources").add(Objects.requireNonNull(resource, "resource"));
    return event;
  }

  private static void putNullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
