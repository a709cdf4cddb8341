package dev.cairn.lambda.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import dev.cairn.testsupport.S3LocalExtension;
import dev.cairn.testsupport.lambda.LocalLambdaRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production composition (the public no-arg constructor) on the local services: primed as
 * SnapStart primes it, then answering a real event exactly as unprimed.
 */
@ExtendWith({DynamoDbLocalExtension.class, S3LocalExtension.class})
class DeployerPrimingTest {

  @Test
  void primed_thenAnswersAnAcquireLease_withNoCallOfItsOwnClients(
      LocalTables tables, LocalBuckets buckets) throws Exception {
    LocalLambdaRuntime.Init<DeployerHandler> init =
        LocalLambdaRuntime.init(tables, buckets, DeployerHandler::new);
    DeployerHandler handler = init.handler();
    int configReads = init.configReads();

    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames())
        .contains("CloudFormation", "CloudWatch", "EventBridge", "signatures");
    assertThat(init.configReads()).isEqualTo(configReads);
    assertThat(init.published()).isEmpty();
    String event =
        "{\"action\":\"acquire_lease\",\"service\":\"orders\",\"commit_sha\":"
            + "\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"dev\","
            + "\"execution_id\":\"arn:aws:states:us-east-1:111111111111:execution:p:e\","
            // The rest of what the definition's AcquireLease sends.
            + "\"trigger\":\"s3\",\"execution_name\":\"e\","
            + "\"execution_started_at\":\"2026-11-22T08:45:00.123Z\","
            + "\"artifact_sha256\":\""
            + "9".repeat(64)
            + "\",\"asset_verification_passed\":true}";
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(),
                    null))
        .hasMessageContaining("the ledger has no record of orders@");
  }
}
