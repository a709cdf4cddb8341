package dev.cairn.sandbox.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * KMS over its JSON 1.1 protocol ({@code X-Amz-Target: TrentService.OPERATION}), as the AWS SDK
 * sends it: {@code Sign} (what {@code cairn manifest sign --kms-key-id} calls), {@code
 * GetPublicKey} and {@code DescribeKey}, answered by the sandbox's KMS (real ECDSA and RSA keys) as
 * the caller, so the call is recorded and IAM decides it. Blobs are base64 and timestamps epoch
 * seconds; errors are {@code {"__type": code, "message": ...}} with KMS's status (400 for its
 * client errors), as the API reference shows.
 */
public final class KmsJsonProtocol implements LocalAwsEndpoint.Service {

  private final Function<String, KmsClient> kmsAs;
  private final UnaryOperator<String> keyArnOf;

  /**
   * @param kmsAs the sandbox's KMS as a principal (ARN), its calls recorded as that principal's
   * @param keyArnOf the ARN of the key a key id, ARN or alias names (KMS resolves aliases before
   *     IAM authorizes the call on the key); throws KMS's {@code NotFoundException} for none
   */
  public KmsJsonProtocol(Function<String, KmsClient> kmsAs, UnaryOperator<String> keyArnOf) {
    this.kmsAs = kmsAs;
    this.keyArnOf = keyArnOf;
  }

  @Override
  public void handle(LocalAwsEndpoint.Session caller, HttpExchange exchange, byte[] body)
      throws IOException {
    String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    KmsClient kms = kmsAs.apply(caller.principalArn());
    ObjectNode out;
    try {
      JsonNode in = Json.parse(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
      out =
          switch (target) {
            case "TrentService.Sign" -> sign(kms, in);
            case "TrentService.GetPublicKey" -> publicKey(kms, in);
            case "TrentService.DescribeKey" -> describe(kms, in);
            default -> null;
          };
    } catch (AwsServiceException e) {
      error(
          exchange,
          e.statusCode() == 0 ? 400 : e.statusCode(),
          e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
              ? e.getClass().getSimpleName()
              : e.awsErrorDetails().errorCode(),
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
      return;
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      error(exchange, 400, "ValidationException", e.getMessage());
      return;
    }
    if (out == null) {
      error(exchange, 400, "UnknownOperationException", "the sandbox does not serve " + target);
      return;
    }
    LocalAwsEndpoint.send(
        exchange,
        200,
        "application/x-amz-json-1.1",
        Json.compact(out).getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode sign(KmsClient kms, JsonNode in) {
    byte[] message = blob(in, "Message");
    var r =
        kms.sign(
            s ->
                s.keyId(keyArnOf.apply(in.path("KeyId").asText("")))
                    .message(SdkBytes.fromByteArray(message))
                    .messageType(in.path("MessageType").asText("RAW"))
                    .signingAlgorithm(in.path("SigningAlgorithm").asText(null)));
    ObjectNode out = Json.object();
    out.put("KeyId", r.keyId());
    out.put("Signature", Base64.getEncoder().encodeToString(r.signature().asByteArray()));
    out.put("SigningAlgorithm", r.signingAlgorithmAsString());
    return out;
  }

  private ObjectNode publicKey(KmsClient kms, JsonNode in) {
    var r = kms.getPublicKey(g -> g.keyId(keyArnOf.apply(in.path("KeyId").asText(""))));
    ObjectNode out = Json.object();
    out.put("KeyId", r.keyId());
    out.put("PublicKey", Base64.getEncoder().encodeToString(r.publicKey().asByteArray()));
    out.put("KeySpec", r.keySpecAsString());
    out.put("CustomerMasterKeySpec", r.keySpecAsString());
    out.put("KeyUsage", r.keyUsageAsString());
    r.signingAlgorithmsAsStrings().forEach(out.putArray("SigningAlgorithms")::add);
    return out;
  }

  private ObjectNode describe(KmsClient kms, JsonNode in) {
    KeyMetadata m =
        kms.describeKey(d -> d.keyId(keyArnOf.apply(in.path("KeyId").asText("")))).keyMetadata();
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
    k.put("CreationDate", m.creationDate() == null ? 0 : m.creationDate().getEpochSecond());
    if (m.hasSigningAlgorithms() && !m.signingAlgorithms().isEmpty()) {
      m.signingAlgorithmsAsStrings().forEach(k.putArray("SigningAlgorithms")::add);
    }
    if (m.hasMacAlgorithms() && !m.macAlgorithms().isEmpty()) {
      m.macAlgorithmsAsStrings().forEach(k.putArray("MacAlgorithms")::add);
    }
    return out;
  }

  /** A required base64 blob, refused as KMS's validation refuses a missing member. */
  private static byte[] blob(JsonNode in, String field) {
    if (!in.path(field).isTextual()) {
      throw new IllegalArgumentException(
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(field.charAt(0))
              + field.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return Base64.getDecoder().decode(in.path(field).asText());
  }

  /** An AWS JSON 1.1 error: {@code {"__type": code, "message": ...}}. */
  static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode e = Json.object();
    e.put("__type", code);
    e.put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
    LocalAwsEndpoint.send(
        exchange,
        status,
        "application/x-amz-json-1.1",
        Json.compact(e).getBytes(StandardCharsets.UTF_8));
  }
}
