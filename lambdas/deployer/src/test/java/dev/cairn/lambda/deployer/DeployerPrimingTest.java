package dev.cairn.lambda.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
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
class DeployerPrimingTest {

  @Test
  void primed_thenAnswersAnAcquireLease_withNoCallOfItsOwnClients(
      LocalTables tables, LocalBuckets buckets) throws Exception {
    Map<String, String> env = LocalLambdaRuntime.environment(tables, buckets);
    LocalLambdaRuntime local =
        new LocalLambdaRuntime(
            LocalDynamoDb.shared().endpoint(),
            LocalS3.shared().endpoint(),
            Clock.systemUTC(),
            env,
            LocalLambdaRuntime.config());
    DeployerHandler handler = LambdaRuntime.initWith(local.runtime(env), DeployerHandler::new);
    int configReads = ((FakeSsmClient) local.emulator(SsmClient.class)).requests().size();

    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames())
        .contains("CloudFormation", "CloudWatch", "EventBridge", "signatures");
    assertThat(((FakeSsmClient) local.emulator(SsmClient.class)).requests()).hasSize(configReads);
    assertThat(((FakeSnsClient) local.emulator(SnsClient.class)).published()).isEmpty();
    String event =
        "{\"action\":\"acquire_lease\",\"service\":\"orders\",\"commit_sha\":"
            + "\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"dev\","
            + "\"execution_id\":\"arn:aws:states:us-east-1:111111111111:execution:p:e\"}";
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(),
                    null))
        .hasMessageContaining("the ledger has no record of orders@");
  }
}
