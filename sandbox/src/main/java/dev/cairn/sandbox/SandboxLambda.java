package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.iam.AwsCallMapper;
import java.io.IOException;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The tools account's Lambda {@code Invoke} API over the synthesized functions: a caller (CI
 * through {@code cairn publish}) invokes a function by name, {@code name:alias} or ARN,
 * synchronously. The caller's client is wrapped by {@link CallLog#recording}, so the call is
 * recorded as its principal and IAM decides {@code lambda:InvokeFunction}; the function runs as its
 * own role. As in Lambda, an exception in the handler is an answer with {@code FunctionError:
 * Unhandled}, not an error of the API call.
 */
final class SandboxLambda implements LambdaClient {

  private final String region;
  private final String account;
  private final Function<String, LambdaFunction> byArn;

  /** {@code byArn} finds the function answering a full function or alias ARN, or null. */
  SandboxLambda(String region, String account, Function<String, LambdaFunction> byArn) {
    this.region = region;
    this.account = account;
    this.byArn = byArn;
  }

  @Override
  public InvokeResponse invoke(InvokeRequest request) {
    if (request.invocationType() != null
        && request.invocationType() != InvocationType.REQUEST_RESPONSE) {
      throw new UnsupportedOperationException(
          "the sandbox invokes RequestResponse only, not " + request.invocationType());
    }
    String arn =
        AwsCallMapper.lambdaFunctionArn(
            request.functionName(), request.qualifier(), region, account);
    LambdaFunction f = byArn.apply(arn);
    if (f == null) {
      throw (ResourceNotFoundException)
          ResourceNotFoundException.builder()
              .message("Function not found: " + arn)
              .statusCode(404)
              .build();
    }
    try {
      JsonNode payload =
          request.payload() == null ? Json.object() : Json.parse(request.payload().asByteArray());
      JsonNode out = f.invoke(payload);
      return InvokeResponse.builder()
          .statusCode(200)
          .executedVersion("1")
          .payload(SdkBytes.fromUtf8String(Json.compact(out)))
          .build();
    } catch (IOException | RuntimeException e) {
      ObjectNode error = Json.object();
      error.put("errorMessage", String.valueOf(e.getMessage()));
      error.put("errorType", e.getClass().getName());
      return InvokeResponse.builder()
          .statusCode(200)
          .functionError("Unhandled")
          .payload(SdkBytes.fromUtf8String(Json.compact(error)))
          .build();
    }
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
