package dev.cairn.sandbox.local.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * Lambda's {@code Invoke} over its REST protocol ({@code POST
 * /2015-03-31/functions/{FunctionName}/invocations}, {@code ?Qualifier=}), synchronous only. The
 * call is made as the signing caller's principal ({@link Callers}) on the given Lambda API, which
 * records it for IAM. As the API reference says, a handler that throws is still a 200 answer, with
 * {@code X-Amz-Function-Error: Unhandled}; API errors carry {@code x-amzn-ErrorType} and a body
 * {@code {"Type":"User","message":...}}.
 */
public final class LambdaInvokeEndpoint implements AutoCloseable {

  private static final Pattern PATH =
      Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

  private final HttpServer server;
  private final Callers callers;
  private final Function<String, LambdaClient> lambdaAs;
  private final Lock lock;

  private LambdaInvokeEndpoint(
      int port, Callers callers, Function<String, LambdaClient> lambdaAs, Lock lock)
      throws IOException {
    this.callers = callers;
    this.lambdaAs = lambdaAs;
    this.lock = lock;
    this.server = HttpExchanges.serve(port, this::handle);
  }

  /**
   * Serves on loopback {@code port} (0: a free one). {@code lambdaAs} gives the Lambda API as a
   * principal; every invocation holds {@code lock} (the functions share one world).
   */
  public static LambdaInvokeEndpoint start(
      int port, Callers callers, Function<String, LambdaClient> lambdaAs, Lock lock)
      throws IOException {
    return new LambdaInvokeEndpoint(port, callers, lambdaAs, lock);
  }

  public URI endpoint() {
    return HttpExchanges.endpoint(server);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
    if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
      error(exchange, 404, "UnknownOperationException", "no such Lambda operation");
      return;
    }
    String function = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    String qualifier = HttpExchanges.form(exchange.getRequestURI().getRawQuery()).get("Qualifier");
    String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
    byte[] payload = exchange.getRequestBody().readAllBytes();
    if (type != null && !type.equals("RequestResponse")) {
      error(
          exchange,
          400,
          "InvalidParameterValueException",
          "the sandbox invokes RequestResponse only, not " + type);
      return;
    }
    String principal = callers.of(exchange);
    InvokeResponse resp;
    lock.lock();
    try {
      resp =
          lambdaAs
              .apply(principal)
              .invoke(
                  r ->
                      r.functionName(function)
                          .qualifier(qualifier)
                          .payload(SdkBytes.fromByteArray(payload)));
    } catch (LambdaException e) {
      // The SDK's modelled exception classes are named for their error code.
      boolean detailed = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null;
      error(
          exchange,
          e.statusCode() == 0 ? 400 : e.statusCode(),
          detailed ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName(),
          detailed ? e.awsErrorDetails().errorMessage() : e.getMessage());
      return;
    } finally {
      lock.unlock();
    }
    if (resp.executedVersion() != null) {
      exchange.getResponseHeaders().set("X-Amz-Executed-Version", resp.executedVersion());
    }
    if (resp.functionError() != null) {
      exchange.getResponseHeaders().set("X-Amz-Function-Error", resp.functionError());
    }
    HttpExchanges.send(exchange, 200, "application/json", resp.payload().asByteArray());
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode body = Json.object();
    body.put("Type", "User");
    body.put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
    HttpExchanges.send(
        exchange, status, "application/json", Json.compact(body).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
