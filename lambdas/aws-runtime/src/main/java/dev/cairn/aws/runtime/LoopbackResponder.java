package dev.cairn.aws.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The other end of priming's SDK calls: an HTTP server on 127.0.0.1 that answers each request with
 * the empty success of its protocol, so the SDK's url-connection client, the JDK's HTTP stack, the
 * signer, the marshaller and the response unmarshaller all run as they will on the first real call,
 * and nothing leaves the process. It holds no state between requests and keeps no connection alive:
 * every response says {@code Connection: close}, so neither end caches a socket, and {@link #close}
 * stops the server before the snapshot (a socket cannot be restored).
 */
final class LoopbackResponder implements AutoCloseable {

  /**
   * Answers of the JSON-protocol operations priming takes whose empty object would skip the
   * unmarshalling of the members the first real call reads (keyed by {@code X-Amz-Target}).
   */
  private static final Map<String, String> JSON_ANSWERS =
      Map.of(
          "DynamoDB_20120810.Query",
          // The sweep index's query asks for its capacity (INDEXES): DynamoDB answers with it.
          "{\"Count\":0,\"Items\":[],\"ScannedCount\":0,\"ConsumedCapacity\":{"
              + "\"TableName\":\"priming\",\"CapacityUnits\":0.5,\"Table\":{\"CapacityUnits\":0.0},"
              + "\"GlobalSecondaryIndexes\":{\"priming\":{\"CapacityUnits\":0.5}}}}",
          "TrentService.GenerateMac",
          "{\"KeyId\":\"arn:aws:kms:us-east-1:000000000000:key/priming\","
              + "\"Mac\":\"cHJpbWluZw==\",\"MacAlgorithm\":\"HMAC_SHA_256\"}",
          "TrentService.VerifyMac",
          "{\"KeyId\":\"arn:aws:kms:us-east-1:000000000000:key/priming\","
              + "\"MacAlgorithm\":\"HMAC_SHA_256\",\"MacValid\":true}",
          "AmazonSSM.GetParameter",
          parameter(Priming.controlPlaneConfig()));

  /**
   * The one operation answered with an error ({@code ConditionalCheckFailedException}), so the
   * SDK's error unmarshalling runs too: the path of a conditional write that lost a race.
   */
  static final String REFUSED = "DynamoDB_20120810.PutItem";

  private final HttpServer server;
  private final AtomicInteger answered = new AtomicInteger();

  private LoopbackResponder(HttpServer server) {
    this.server = server;
  }

  /**
   * Every parameter's answer: the canned control-plane config ({@link Priming#controlPlaneConfig}),
   * which priming's invocation reads as the function reads its own.
   */
  private static String parameter(String value) {
    com.fasterxml.jackson.databind.node.ObjectNode answer = dev.cairn.core.json.Json.object();
    answer
        .putObject("Parameter")
        .put("Name", "priming")
        .put("Type", "String")
        .put("Value", value)
        .put("Version", 1);
    return dev.cairn.core.json.Json.compact(answer);
  }

  /** Listens on an ephemeral port of the loopback address only. */
  static LoopbackResponder start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackResponder responder = new LoopbackResponder(server);
    server.createContext("/", responder::answer);
    server.start();
    return responder;
  }

  /** Where the twins send their calls. */
  URI endpoint() {
    return URI.create(
        "http://"
            + server.getAddress().getAddress().getHostAddress()
            + ":"
            + server.getAddress().getPort());
  }

  /** How many requests it answered. */
  int answered() {
    return answered.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        in.transferTo(read);
        body = read.toString(StandardCharsets.UTF_8);
      }
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      int status = REFUSED.equals(target) ? 400 : 200;
      if (status == 400) {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      }
      byte[] answer =
          (status == 400
                  ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                      + "\"message\":\"The conditional request failed\"}"
                  : answer(exchange, body))
              .getBytes(StandardCharsets.UTF_8);
      if (target != null && target.startsWith("DynamoDB_")) {
        // DynamoDB signs each body with its CRC32, which the SDK checks as it reads.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(answer);
        exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
      }
      exchange.getResponseHeaders().set("Connection", "close");
      exchange.getResponseHeaders().set(Priming.PRIMING_RESPONSE_HEADER, "true");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "priming");
      exchange.getResponseHeaders().set("x-amz-request-id", "priming");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      if (head || answer.length == 0) {
        exchange.sendResponseHeaders(status, -1);
      } else {
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
      answered.incrementAndGet();
    } finally {
      exchange.close();
    }
  }

  /**
   * JSON protocols (an {@code X-Amz-Target}): {@code {}} or the operation's answer above; Query
   * protocols (an {@code Action=} form): the operation's empty result element; REST protocols (S3,
   * CloudTrail Data): an empty listing, {@code {}} as the object or result, an ETag for a PUT.
   */
  private static String answer(HttpExchange exchange, String body) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target != null) {
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
      return JSON_ANSWERS.getOrDefault(target, "{}");
    }
    String action = queryAction(body);
    if (action != null) {
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      return "<"
          + action
          + "Response><"
          + action
          + "Result/><ResponseMetadata><RequestId>priming</RequestId></ResponseMetadata></"
          + action
          + "Response>";
    }
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null && query.contains("list-type=2")) {
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
      return "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<Name>priming</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys>"
          + "<IsTruncated>false</IsTruncated></ListBucketResult>";
    }
    if (exchange.getRequestMethod().equals("PUT")) {
      exchange.getResponseHeaders().set("ETag", "\"99914b932bd37a50b983c5e7c90ae93b\"");
      return "";
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    return "{}";
  }

  private static String queryAction(String body) {
    for (String pair : body.split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** Stops listening and closes every exchange still open, at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
