package dev.cairn.lambda.override;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.testing.DynamoDbLocalExtension;
import dev.cairn.testing.LocalBuckets;
import dev.cairn.testing.LocalDynamoDb;
import dev.cairn.testing.LocalLambdaRuntime;
import dev.cairn.testing.LocalS3;
import dev.cairn.testing.LocalTables;
import dev.cairn.testing.S3LocalExtension;
import dev.cairn.testing.fake.FakeSnsClient;
import dev.cairn.testing.fake.FakeSsmClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The production composition (the public no-arg constructor) on the local services: primed as
 * SnapStart primes it, then answering a real event exactly as unprimed.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class OverridePrimingTest {

  @Test
  void primed_thenAnswersARequest_refusingAndAuditingIt_withNoCallOfItsOwnClients(
      LocalTables tables, LocalBuckets buckets) throws Exception {
    Map<String, String> env = LocalLambdaRuntime.environment(tables, buckets);
    LocalLambdaRuntime local =
        new LocalLambdaRuntime(
            LocalDynamoDb.shared().endpoint(),
            LocalS3.shared().endpoint(),
            Clock.systemUTC(),
            env,
            LocalLambdaRuntime.config());
    OverrideHandler handler = LambdaRuntime.initWith(local.runtime(env), OverrideHandler::new);
    int configReads = ((FakeSsmClient) local.emulator(SsmClient.class)).requests().size();

    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames())
        .contains("StepFunctions", "EventBridge", "signatures");
    assertThat(((FakeSsmClient) local.emulator(SsmClient.class)).requests()).hasSize(configReads);
    assertThat(((FakeSnsClient) local.emulator(SnsClient.class)).published()).isEmpty();
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
