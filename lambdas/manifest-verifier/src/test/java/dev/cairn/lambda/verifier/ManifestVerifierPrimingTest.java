package dev.cairn.lambda.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.pipeline.ArtifactNotRegistered;
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
class ManifestVerifierPrimingTest {

  @Test
  void primed_thenAnswersAVerifyEvent_withNoCallOfItsOwnClients(
      LocalTables tables, LocalBuckets buckets) throws Exception {
    LocalLambdaRuntime.Init<ManifestVerifierHandler> init =
        LocalLambdaRuntime.init(tables, buckets, ManifestVerifierHandler::new);
    ManifestVerifierHandler handler = init.handler();
    int configReads = init.configReads();

    handler.priming().beforeCheckpoint(null);

    assertThat(handler.priming().stepNames()).contains("S3", "STS", "ECR", "signatures");
    assertThat(init.configReads()).isEqualTo(configReads);
    assertThat(init.published()).isEmpty();
    String commit = "0123456789abcdef0123456789abcdef01234567";
    String event =
        "{\"action\":\"verify\",\"service\":\"orders\",\"commit_sha\":\""
            + commit
            + "\",\"environment\":\"dev\",\"bucket\":\""
            + buckets.candidate()
            + "\",\"manifest_key\":\"orders/"
            + commit
            + "/artifact-manifest.json\"}";
    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(),
                    null))
        .isInstanceOf(ArtifactNotRegistered.class);
  }
}
