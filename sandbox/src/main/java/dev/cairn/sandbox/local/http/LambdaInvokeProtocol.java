package dev.cairn.sandbox.local.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Lambda's {@code Invoke} over its REST protocol ({@code POST
 * /2015-03-31/functions/NAME/invocations}), as {@code cairn publish} sends it to the registrar:
 * answered by the sandbox's Lambda as the caller (so IAM decides {@code lambda:InvokeFunction}),
 * which runs the synthesized function's real handler. A function error comes back as Lambda returns
 * it: status 200, {@code X-Amz-Function-Error} and the error payload.
 */
public final class LambdaInvokeProtocol implements LocalAwsEndpoint.Service {

  private static final Pattern INVOKE =
      Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

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
      KmsJsonProtocol.error(
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
    Map<String, String> query = LocalAwsEndpoint.query(exchange.getRequestURI());
    String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
    try {
      var r =
          lambdaAs
              .apply(caller.principalArn())
              .invoke(
                  i ->
                      i.functionName(function)
                          .qualifier(query.get("Qualifier"))
                          .invocationType(type == null ? "RequestResponse" : type)
                          .payload(SdkBytes.fromByteArray(body)));
      if (r.functionError() != null) {
        exchange.getResponseHeaders().set("X-Amz-Function-Error", r.functionError());
      }
      if (r.executedVersion() != null) {
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", r.executedVersion());
      }
      LocalAwsEndpoint.send(
          exchange,
          r.statusCode() == null ? 200 : r.statusCode(),
          "application/json",
          r.payload() == null ? new byte[0] : r.payload().asByteArray());
    } catch (AwsServiceException e) {
      KmsJsonProtocol.error(
          exchange,
          e.statusCode() == 0 ? 400 : e.statusCode(),
          e.awsErrorDetails() == null ? "ServiceException" : e.awsErrorDetails().errorCode(),
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    }
  }
}
