package dev.cairn.bench.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.aws.runtime.Priming;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor: the smallest SDK v2 handler, one client built in INIT and one call per invocation (a
 * {@code GetItem} on the metadata table), with the same HTTP client and endpoint as the handlers.
 * No Jackson of its own, no logging. Run as {@code minimal-primed}, it is also primed as the
 * functions are: its one call on a twin client over the loopback responder ({@link #priming()}), so
 * its own first ÷ tenth is the floor priming can reach on this JVM.
 */
public final class MinimalHandler implements RequestStreamHandler {

  private static final Map<String, AttributeValue> KEY =
      Map.of(
          "service", AttributeValue.fromS("minimal"),
          "commit_sha", AttributeValue.fromS("0".repeat(40)));

  private final DynamoDbClient dynamoDb = LambdaRuntime.current().clients().dynamoDb();
  private final String table = LambdaRuntime.current().environment().get("METADATA_TABLE_NAME");

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws java.io.IOException {
    input.readAllBytes();
    boolean found = dynamoDb.getItem(r -> r.tableName(table).key(KEY)).hasItem();
    output.write(
        ("{\"outcome\":\"" + (found ? "found" : "absent") + "\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Its one call, primed as the functions prime theirs (the bench runs it directly). */
  public Priming priming() {
    return Priming.register(
        "minimal",
        Priming.sdk(
            "DynamoDB",
            DynamoDbClient::builder,
            (DynamoDbClient c) -> c.getItem(r -> r.tableName("priming").key(KEY))));
  }
}
