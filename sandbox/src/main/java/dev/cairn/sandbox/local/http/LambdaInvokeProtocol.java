package dev.cairn.sandbox.local.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Lambda's {@code Invoke} over its REST protocol ({@code POST
 * /2015-03-31/functions/{FunctionName}/invocations}, {@code ?Qualifier=}), synchronous only, as
 * {@code cairn publish} (the registrar) and {@code cairn override submit} send it: answered by the
 * sandbox's Lambda as the caller (so IAM decides {@code lambda:InvokeFunction}), which runs the
 * synthesized function's real handler. As the API reference says, a handler that throws is still a
 * 200 answer, with {@code X-Amz-Function-Error: Unhandled} and the error payload; API errors carry
 * {@code x-amzn-ErrorType} and a body {@code {"Type":"User","message":...}}.
 */
public final class LambdaInvokeProtocol implements LocalAwsEndpoint.Service {

  private static final Pattern INVOKE =
      Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

  private final Function<String, LambdaClient> lambdaAs;

  /**
   * @param lambdaAs the sandbox's Lambda as a principal (ARN), its calls recorded as its own
   */
  public LambdaInvokeProtocol(Function<String, LambdaClient> lambdaAs) {
    this.lambdaAs = lambdaAs;
  }

  @Override
  public void handle(LocalAwsEndpoint.Session caller, HttpExchange exchange, byte[] body)
      throws IOException {
    Matcher m = INVOKE.matcher(exchange.getRequestURI().getRawPath());
    if (!exchange.getRequestMethod().equals("POST") || !m.matches()) {
      error(
          exchange,
          404,
          "UnknownOperationException",
          "the sandbox serves Lambda Invoke only, not "
              + exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI().getRawPath());
      return;
    }
    String function = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    String qualifier = LocalAwsEndpoint.query(exchange.getRequestURI()).get("Qualifier");
    String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
    if (type != null && !type.equals("RequestResponse")) {
      // The sandbox's functions run synchronously, in the caller's request.
      error(
          exchange,
          400,
          "InvalidParameterValueException",
          "the sandbox invokes RequestResponse only, not " + type);
      return;
    }
    InvokeResponse r;
    try {
      r =
          lambdaAs
              .apply(caller.principalArn())
              .invoke(
                  i ->
                      i.functionName(function)
                          .qualifier(qualifier)
                          .payload(SdkBytes.fromByteArray(body)));
    } catch (AwsServiceException e) {
      // The SDK's modelled exception classes are named for their error code.
      boolean detailed = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null;
      error(
          exchange,
          e.statusCode() == 0 ? 400 : e.statusCode(),
          detailed ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName(),
          detailed ? e.awsErrorDetails().errorMessage() : e.getMessage());
      return;
    }
    if (r.functionError() != null) {
      exchange.getResponseHeaders().set("X-Amz-Function-Error", r.functionError());
    }
    if (r.executedVersion() != null) {
      exchange.getResponseHeaders().set("X-Amz-Executed-Version", r.executedVersion());
    }
    LocalAwsEndpoint.send(
        exchange,
        200,
        "application/json",
        r.payload() == null ? new byte[0] : r.payload().asByteArray());
  }

  /** A Lambda REST error: {@code x-amzn-ErrorType} names it, the body says why. */
  static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode body = Json.object();
    body.put("Type", "User");
    body.put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
    LocalAwsEndpoint.send(
        exchange, status, "application/json", Json.compact(body).getBytes(StandardCharsets.UTF_8));
  }
}
