package dev.cairn.aws.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.pipeline.port.StackDeployer;
import dev.cairn.local.emulators.CloudFormationEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.testsupport.S3LocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.s3.S3Client;

/** The requests the adapter sends for the stack properties CDK writes, captured at the emulator. */
@ExtendWith(S3LocalExtension.class)
class CloudFormationStackDeployerTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  static final String TOPIC = "arn:aws:sns:eu-west-1:111111111111:stack-events";

  private final S3Client s3;
  private final LocalBuckets buckets;

  CloudFormationStackDeployerTest(S3Client s3, LocalBuckets buckets) {
    this.s3 = s3;
    this.buckets = buckets;
  }

  @Test
  void createChangeSet_sendsNotificationArnsTagsParametersRoleAndCdksCapabilities_thenProtects() {
    CloudFormationEmulator cfn = new CloudFormationEmulator("111111111111", "eu-west-1", CLOCK, s3);
    CloudFormationStackDeployer deployer =
        new CloudFormationStackDeployer(
            cfn, new SsmEmulator("111111111111", "eu-west-1", CLOCK), s3);
    s3.putObject(
        r -> r.bucket(buckets.candidate()).key("t.json"),
        RequestBody.fromString(
            "{\"Parameters\":{\"Size\":{\"Type\":\"String\"}},"
                + "\"Resources\":{\"Queue\":{\"Type\":\"AWS::SQS::Queue\",\"Properties\":{}}}}"));

    deployer.createChangeSet(
        new StackDeployer.ChangeSetRequest(
            "app",
            "cs-1",
            true,
            "https://s3.eu-west-1.amazonaws.com/" + buckets.candidate() + "/t.json",
            Map.of("Size", "2"),
            Map.of("cost-center", "databases"),
            List.of(TOPIC),
            "arn:aws:iam::111111111111:role/cairn-stage-cfn-exec",
            "token-1"));

    CreateChangeSetRequest sent = cfn.requests(CreateChangeSetRequest.class).get(0);
    assertThat(sent.notificationARNs()).containsExactly(TOPIC);
    assertThat(sent.tags())
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo("cost-center"));
    assertThat(sent.parameters())
        .singleElement()
        .satisfies(p -> assertThat(p.parameterValue()).isEqualTo("2"));
    assertThat(sent.roleARN()).isEqualTo("arn:aws:iam::111111111111:role/cairn-stage-cfn-exec");
    assertThat(sent.capabilities())
        .containsExactly(
            Capability.CAPABILITY_IAM,
            Capability.CAPABILITY_NAMED_IAM,
            Capability.CAPABILITY_AUTO_EXPAND);

    deployer.updateTerminationProtection("app", true);

    assertThat(deployer.describeStack("app").orElseThrow().terminationProtection()).isTrue();
  }
}
