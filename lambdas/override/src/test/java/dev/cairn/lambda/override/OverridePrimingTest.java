package dev.cairn.lambda.override;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import dev.cairn.testsupport.lambda.LocalLambdaRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production composition (the public no-arg constructor) on the local services: primed as
 * SnapStart primes it, then answering a real event exactly as unprimed.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class OverridePrimingTest {

  @Test
  void primed_thenAnswersARequest_refusingAndAuditingIt_withNoCallOfItsOwnClients(
      LocalTables tables, LocalBuckets buckets) throws Exception {
    LocalLambdaRuntime.Init<OverrideHandler> init =
        LocalLambdaRuntime.init(tables, buckets, OverrideHandler::new);
    OverrideHandler handler = init.handler();
    int configReads = init.configReads();

    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames())
        .contains("StepFunctions", "EventBridge", "signatures");
    assertThat(init.configReads()).isEqualTo(configReads);
    assertThat(init.published()).isEmpty();
    byte[] request;
    try (var in = OverrideHandler.class.getResourceAsStream("priming-event.json")) {
      request = in.readAllBytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(request), out, null);

    // The sample request's signature is not bob's (and it expired long ago): refused, as unprimed.
    var result = dev.cairn.core.json.Json.parse(out.toByteArray());
    assertThat(result.path("outcome").asText()).isEqualTo("refused");
    assertThat(result.path("failure").asText()).startsWith("OVERRIDE_");
  }
}
