package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;

/**
 * {@link KmsEmulator}'s {@code GenerateMac} and {@code VerifyMac} over KMS's wire protocol (AWS
 * JSON 1.1, {@code X-Amz-Target: TrentService.*}) on loopback, so that a process that builds its
 * own SDK client from an endpoint (the CLI) reaches the emulator. Blobs are base64, errors are
 * {@code {"__type": code, "message": ...}} with status 400, as KMS answers.
 */
public final class KmsMacWireServer implements AutoCloseable {

  private final HttpServer server;
  private final KmsEmulator kms;

  private KmsMacWireServer(HttpServer server, KmsEmulator kms) {
    this.server = server;
    this.kms = kms;
  }

  /** Serves {@code kms} on an ephemeral loopback port. */
  public static KmsMacWireServer start(KmsEmulator kms) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    KmsMacWireServer s = new KmsMacWireServer(server, kms);
    server.createContext("/", s::handle);
    server.start();
    return s;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    ObjectNode out = Json.object();
    int status = 200;
    try {
      JsonNode in = Json.parse(exchange.getRequestBody().readAllBytes());
      if ("TrentService.GenerateMac".equals(target)) {
        var r =
            kms.generateMac(
                b ->
                    b.keyId(in.path("KeyId").asText(null))
                        .macAlgorithm(algorithm(in))
                        .message(blob(in, "Message")));
        out.put("KeyId", r.keyId());
        out.put("MacAlgorithm", r.macAlgorithmAsString());
        out.put("Mac", Base64.getEncoder().encodeToString(r.mac().asByteArray()));
      } else if ("TrentService.VerifyMac".equals(target)) {
        var r =
            kms.verifyMac(
                b ->
                    b.keyId(in.path("KeyId").asText(null))
                        .macAlgorithm(algorithm(in))
                        .message(blob(in, "Message"))
                        .mac(blob(in, "Mac")));
        out.put("KeyId", r.keyId());
        out.put("MacAlgorithm", r.macAlgorithmAsString());
        out.put("MacValid", r.macValid());
      } else {
        status = 400;
        out.put("__type", "UnknownOperationException");
        out.put("message", "not served here: " + target);
      }
    } catch (KmsException e) {
      status = 400;
      out.removeAll();
      out.put("__type", e.awsErrorDetails().errorCode());
      out.put("message", e.awsErrorDetails().errorMessage());
    }
    byte[] body = Json.compact(out).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static MacAlgorithmSpec algorithm(JsonNode in) {
    return in.has("MacAlgorithm")
        ? MacAlgorithmSpec.fromValue(in.path("MacAlgorithm").asText())
        : null;
  }

  private static SdkBytes blob(JsonNode in, String field) {
    return in.has(field)
        ? SdkBytes.fromByteArray(Base64.getDecoder().decode(in.path(field).asText()))
        : null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
