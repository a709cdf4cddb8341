package dev.cairn.bench.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.runtime.LambdaRuntime;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor: the smallest SDK v2 handler, one client built in INIT and one call per invocation (a
 * {@code GetItem} on the metadata table), with the same HTTP client and endpoint as the handlers.
 * No Jackson of its own, no logging, no priming.
 */
public final class MinimalHandler implements RequestStreamHandler {

  private final DynamoDbClient dynamoDb = LambdaRuntime.current().clients().dynamoDb();
  private final String table = LambdaRuntime.current().environment().get("METADATA_TABLE_NAME");

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws java.io.IOException {
    input.readAllBytes();
    boolean found =
        dynamoDb
            .getItem(
                r ->
                    r.tableName(table)
                        .key(
                            Map.of(
                                "service", AttributeValue.fromS("minimal"),
                                "commit_sha", AttributeValue.fromS("0".repeat(40)))))
            .hasItem();
    output.write(
        ("{\"outcome\":\"" + (found ? "found" : "absent") + "\"}")
            .getBytes(StandardCharsets.UTF_8));
  }
}
