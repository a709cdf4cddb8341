package dev.cairn.sandbox.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Lambda's Invoke over REST, as the SDK's LambdaClient sends it; the backend captures each request
 * exactly (function, qualifier, payload, principal).
 */
class LambdaInvokeProtocolTest {

  record Seen(String principal, String function, String qualifier, String payload) {}

  final List<Seen> seen = new ArrayList<>();
  static final String CI_ROLE = "arn:aws:iam::000000000000:role/cdk-ci-artifact-builder";
  LocalAwsEndpoint endpoint;
  LambdaClient client;

  LambdaClient backend(String principal) {
    return new LambdaClient() {
      @Override
      public InvokeResponse invoke(InvokeRequest r) {
        seen.add(new Seen(principal, r.functionName(), r.qualifier(), r.payload().asUtf8String()));
        return switch (r.functionName().split(":")[0]) {
          case "cairn-registrar" ->
              InvokeResponse.builder()
                  .statusCode(200)
                  .executedVersion("1")
                  .payload(SdkBytes.fromUtf8String("{\"outcome\":\"registered\"}"))
                  .build();
          case "cairn-override" ->
              InvokeResponse.builder()
                  .statusCode(200)
                  .executedVersion("1")
                  .functionError("Unhandled")
                  .payload(SdkBytes.fromUtf8String("{\"errorMessage\":\"boom\"}"))
                  .build();
          default ->
              throw (ResourceNotFoundException)
                  ResourceNotFoundException.builder()
                      .message("Function not found: " + r.functionName())
                      .statusCode(404)
                      .build();
        };
      }

      @Override
      public String serviceName() {
        return "lambda";
      }

      @Override
      public void close() {}
    };
  }

  @BeforeEach
  void start() throws Exception {
    endpoint =
        SdkClients.serving(
            "lambda",
            LocalAwsEndpoint.underLock(
                new ReentrantLock(), new LambdaInvokeProtocol(this::backend)));
    client = SdkClients.as(LambdaClient.builder(), endpoint, CI_ROLE);
  }

  @AfterEach
  void stop() {
    client.close();
    endpoint.close();
  }

  @Test
  void invoke_withAliasQualifier_reachesTheFunctionAsTheCallersPrincipal() {
    var resp =
        client.invoke(
            r ->
                r.functionName("cairn-registrar:live")
                    .payload(SdkBytes.fromUtf8String("{\"service\":\"orders\"}")));
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.functionError()).isNull();
    assertThat(resp.executedVersion()).isEqualTo("1");
    assertThat(resp.payload().asUtf8String()).isEqualTo("{\"outcome\":\"registered\"}");
    assertThat(seen)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.principal()).endsWith(":role/cdk-ci-artifact-builder");
              assertThat(s.function() + (s.qualifier() == null ? "" : ":" + s.qualifier()))
                  .isEqualTo("cairn-registrar:live");
              assertThat(s.payload()).isEqualTo("{\"service\":\"orders\"}");
            });
  }

  @Test
  void invoke_whenTheHandlerThrows_is200WithXAmzFunctionError() {
    var resp =
        client.invoke(r -> r.functionName("cairn-override").payload(SdkBytes.fromUtf8String("{}")));
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.functionError()).isEqualTo("Unhandled");
    assertThat(resp.payload().asUtf8String()).contains("boom");
  }

  @Test
  void invoke_unknownFunction_isResourceNotFoundException_fromXAmznErrorType() {
    assertThatThrownBy(
            () -> client.invoke(r -> r.functionName("nope").payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
            });
  }

  @Test
  void invoke_signedWithAnotherSession_actsAsThatSessionsRole() {
    try (LambdaClient asOperator =
        SdkClients.as(
            LambdaClient.builder(), endpoint, "arn:aws:iam::000000000000:role/operator")) {
      asOperator.invoke(
          r -> r.functionName("cairn-registrar").payload(SdkBytes.fromUtf8String("{}")));
    }
    assertThat(seen)
        .singleElement()
        .extracting(Seen::principal)
        .isEqualTo("arn:aws:iam::000000000000:role/operator");
  }

  @Test
  void invoke_asAnEvent_isInvalidParameterValue_theSandboxRunsFunctionsSynchronously() {
    assertThatThrownBy(
            () ->
                client.invoke(
                    r ->
                        r.functionName("cairn-registrar")
                            .invocationType("Event")
                            .payload(SdkBytes.fromUtf8String("{}"))))
        .isInstanceOfSatisfying(
            software.amazon.awssdk.services.lambda.model.InvalidParameterValueException.class,
            e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(seen).isEmpty();
  }
}
