package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Stands in for a Lambda function or service integration. Return the result; throw {@link
 * TaskFailure} for an explicit error name, or any exception to report its fully qualified class
 * name (as the Java Lambda runtime reports {@code errorType}).
 */
@FunctionalInterface
public interface TaskHandler {
  JsonNode handle(TaskRequest request) throws Exception;
}
