package dev.cairn.sandbox.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.locks.Lock;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * KMS {@code Sign}, {@code GetPublicKey} and {@code DescribeKey} over AWS JSON 1.1 ({@code
 * X-Amz-Target: TrentService.*}), on the given KMS (the sandbox's emulator: real ECDSA and RSA
 * keys). Blobs are base64 and timestamps epoch seconds; errors are status 400 with {@code
 * {"__type": code, "message": ...}}, as the API reference shows.
 */
public final class KmsEndpoint implements AutoCloseable {

  private final HttpServer server;
  private final KmsClient kms;
  private final Lock lock;

  private KmsEndpoint(int port, KmsClient kms, Lock lock) throws IOException {
    this.kms = kms;
    this.lock = lock;
    this.server = HttpExchanges.serve(port, this::handle);
  }

  /** Serves {@code kms} on loopback {@code port} (0: a free one), each call under {@code lock}. */
  public static KmsEndpoint start(int port, KmsClient kms, Lock lock) throws IOException {
    return new KmsEndpoint(port, kms, lock);
  }

  public URI endpoint() {
    return HttpExchanges.endpoint(server);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    ObjectNode out;
    lock.lock();
    try {
      JsonNode in = Json.parse(exchange.getRequestBody().readAllBytes());
      out =
          switch (target) {
            case "TrentService.Sign" -> sign(in);
            case "TrentService.GetPublicKey" -> publicKey(in);
            case "TrentService.DescribeKey" -> describe(in);
            default -> null;
          };
    } catch (KmsException e) {
      error(
          exchange,
          e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
              ? e.awsErrorDetails().errorCode()
              : e.getClass().getSimpleName(),
          e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage());
      return;
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      error(exchange, "ValidationException", e.getMessage());
      return;
    } finally {
      lock.unlock();
    }
    if (out == null) {
      error(exchange, "UnknownOperationException", "the sandbox's KMS does not serve " + target);
      return;
    }
    HttpExchanges.send(
        exchange,
        200,
        "application/x-amz-json-1.1",
        Json.compact(out).getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode sign(JsonNode in) {
    var r =
        kms.sign(
            b ->
                b.keyId(in.path("KeyId").asText(null))
                    .message(blob(in, "Message"))
                    .messageType(in.path("MessageType").asText("RAW"))
                    .signingAlgorithm(in.path("SigningAlgorithm").asText(null)));
    ObjectNode out = Json.object();
    out.put("KeyId", r.keyId());
    out.put("Signature", Base64.getEncoder().encodeToString(r.signature().asByteArray()));
    out.put("SigningAlgorithm", r.signingAlgorithmAsString());
    return out;
  }

  private ObjectNode publicKey(JsonNode in) {
    var r = kms.getPublicKey(b -> b.keyId(in.path("KeyId").asText(null)));
    ObjectNode out = Json.object();
    out.put("KeyId", r.keyId());
    out.put("PublicKey", Base64.getEncoder().encodeToString(r.publicKey().asByteArray()));
    out.put("KeySpec", r.keySpecAsString());
    out.put("CustomerMasterKeySpec", r.keySpecAsString());
    out.put("KeyUsage", r.keyUsageAsString());
    r.signingAlgorithmsAsStrings().forEach(out.putArray("SigningAlgorithms")::add);
    return out;
  }

  private ObjectNode describe(JsonNode in) {
    KeyMetadata m = kms.describeKey(b -> b.keyId(in.path("KeyId").asText(null))).keyMetadata();
    ObjectNode out = Json.object();
    ObjectNode k = out.putObject("KeyMetadata");
    k.put("KeyId", m.keyId());
    k.put("Arn", m.arn());
    k.put("AWSAccountId", m.awsAccountId());
    k.put("Enabled", m.enabled());
    k.put("KeyState", m.keyStateAsString());
    k.put("KeyUsage", m.keyUsageAsString());
    k.put("KeySpec", m.keySpecAsString());
    k.put("CustomerMasterKeySpec", m.keySpecAsString());
    k.put("KeyManager", m.keyManagerAsString());
    k.put("Origin", m.originAsString());
    k.put("CreationDate", 0);
    if (m.hasSigningAlgorithms() && !m.signingAlgorithms().isEmpty()) {
      m.signingAlgorithmsAsStrings().forEach(k.putArray("SigningAlgorithms")::add);
    }
    if (m.hasMacAlgorithms() && !m.macAlgorithms().isEmpty()) {
      m.macAlgorithmsAsStrings().forEach(k.putArray("MacAlgorithms")::add);
    }
    return out;
  }

  private static SdkBytes blob(JsonNode in, String field) {
    if (!in.hasNonNull(field)) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(field.charAt(0))
              + field.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return SdkBytes.fromByteArray(Base64.getDecoder().decode(in.path(field).asText()));
  }

  private static void error(HttpExchange exchange, String code, String message) throws IOException {
    ObjectNode body = Json.object();
    body.put("__type", code);
    body.put("message", message);
    HttpExchanges.send(
        exchange,
        400,
        "application/x-amz-json-1.1",
        Json.compact(body).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
