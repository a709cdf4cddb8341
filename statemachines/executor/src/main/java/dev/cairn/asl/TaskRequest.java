package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a {@link TaskHandler} receives. A handler may take virtual time by calling {@code
 * clock().advance(...)}; {@code heartbeat} records a heartbeat at the clock's current instant.
 *
 * @param stateName the Task state's name
 * @param resource the resource ARN as written in the definition
 * @param functionName for Lambda resources, the function ARN or name; otherwise empty
 * @param payload the effective parameters (for {@code lambda:invoke}, the {@code Payload})
 * @param context the context object ({@code $$})
 * @param clock the virtual clock of this task
 * @param heartbeat records a heartbeat now
 */
public record TaskRequest(
    String stateName,
    String resource,
    String functionName,
    JsonNode payload,
    JsonNode context,
    VirtualClock clock,
    Runnable heartbeat) {}
