package dev.cairn.sandbox.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * KMS over its JSON 1.1 protocol ({@code X-Amz-Target: TrentService.OPERATION}), as the AWS SDK
 * sends it: {@code Sign} (what {@code cairn manifest sign --kms-key-id} calls) and {@code
 * GetPublicKey}, answered by the sandbox's KMS as the caller (so the call is recorded and IAM
 * decides it). KMS's own errors keep their code and status.
 */
public final class KmsJsonProtocol implements LocalAwsEndpoint.Service {

  private final Function<String, KmsClient> kmsAs;
  private final java.util.function.UnaryOperator<String> keyArnOf;

  /**
   * @param kmsAs the sandbox's KMS as a principal (ARN), its calls recorded as that principal's
   * @param keyArnOf the ARN of the key a key id, ARN or alias names (KMS resolves aliases before
   *     IAM authorizes the call on the key); throws KMS's {@code NotFoundException} for none
   */
  public KmsJsonProtocol(
      Function<String, KmsClient> kmsAs, java.util.function.UnaryOperator<String> keyArnOf) {
    this.kmsAs = kmsAs;
    this.keyArnOf = keyArnOf;
  }

  @Override
  public void handle(LocalAwsEndpoint.Session caller, HttpExchange exchange, byte[] body)
      throws IOException {
    String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    JsonNode in = Json.parse(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
    KmsClient kms = kmsAs.apply(caller.principalArn());
    ObjectNode out = Json.object();
    try {
      switch (target) {
        case "TrentService.Sign" -> {
          var r =
              kms.sign(
                  s ->
                      s.keyId(keyArnOf.apply(in.path("KeyId").asText("")))
                          .message(SdkBytes.fromByteArray(bytes(in.path("Message"))))
                          .messageType(in.path("MessageType").asText(null))
                          .signingAlgorithm(in.path("SigningAlgorithm").asText(null)));
          out.put("KeyId", r.keyId());
          out.put("Signature", Base64.getEncoder().encodeToString(r.signature().asByteArray()));
          out.put("SigningAlgorithm", r.signingAlgorithmAsString());
        }
        case "TrentService.GetPublicKey" -> {
          var r = kms.getPublicKey(g -> g.keyId(keyArnOf.apply(in.path("KeyId").asText(""))));
          out.put("KeyId", r.keyId());
          out.put("PublicKey", Base64.getEncoder().encodeToString(r.publicKey().asByteArray()));
          out.put("KeySpec", r.keySpecAsString());
          out.put("KeyUsage", r.keyUsageAsString());
          var algorithms = out.putArray("SigningAlgorithms");
          r.signingAlgorithmsAsStrings().forEach(algorithms::add);
        }
        default -> {
          error(exchange, 400, "UnknownOperationException", "the sandbox does not serve " + target);
          return;
        }
      }
    } catch (AwsServiceException e) {
      error(
          exchange,
          e.statusCode() == 0 ? 400 : e.statusCode(),
          e.awsErrorDetails() == null ? "KMSInternalException" : e.awsErrorDetails().errorCode(),
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
      return;
    }
    LocalAwsEndpoint.send(
        exchange,
        200,
        "application/x-amz-json-1.1",
        Json.compact(out).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(JsonNode base64) {
    return base64.isTextual() ? Base64.getDecoder().decode(base64.asText()) : new byte[0];
  }

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
