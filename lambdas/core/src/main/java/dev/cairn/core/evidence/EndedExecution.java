package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a pipeline execution ended, as its EventBridge status-change event tells it: the execution's
 * status, not its history. Step Functions' execution history is never read for evidence (the spec:
 * no execution history is used for audit or state recovery); what the execution did is taken from
 * the ledger and the audit chain only.
 *
 * @param status Step Functions' status ({@code FAILED}, {@code TIMED_OUT}, {@code ABORTED}, ...)
 * @param error the execution's error, or null
 * @param cause the execution's cause, or null
 * @param input the execution input (service, commit_sha, environment, bucket, ...)
 */
public record EndedExecution(
    String executionArn, String status, String error, String cause, JsonNode input) {}
